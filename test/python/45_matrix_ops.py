def matmul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))] for i in range(len(a))]
def transpose(m):
    return [list(r) for r in zip(*m)]
def identity(n):
    return [[1 if i == j else 0 for j in range(n)] for i in range(n)]
A = [[1, 2], [3, 4]]
B = [[0.5, -1], [2, 0]]
print(matmul(A, B), transpose(A), matmul(A, identity(2)) == A)
def det(m):
    if len(m) == 1:
        return m[0][0]
    return sum((-1) ** c * m[0][c] * det([row[:c] + row[c + 1:] for row in m[1:]]) for c in range(len(m)))
print(det([[2, 0, 1], [1, 3, 2], [1, 1, 1]]), det(A))
def dot(u, v):
    return sum(x * y for x, y in zip(u, v))
print(dot([1, 2, 3], [4, 5, 6]), [round(x / 3, 4) for x in [1, 2, 3]])
