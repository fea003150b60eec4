def quicksort(xs):
    if len(xs) <= 1:
        return xs
    pivot, *rest = xs
    return quicksort([x for x in rest if x < pivot]) + [pivot] + quicksort([x for x in rest if x >= pivot])
def merge(a, b):
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i]); i += 1
        else:
            out.append(b[j]); j += 1
    return out + a[i:] + b[j:]
def mergesort(xs):
    if len(xs) < 2:
        return xs
    m = len(xs) // 2
    return merge(mergesort(xs[:m]), mergesort(xs[m:]))
data = [38, 27, 43, 3, 9, 82, 10, 3]
print(quicksort(data), mergesort(data), sorted(data) == mergesort(data), data)
def chunks(xs, n):
    return [xs[i:i + n] for i in range(0, len(xs), n)]
print(chunks(list(range(10)), 3), list(zip(*chunks(list(range(9)), 3))))
def running_mean(xs):
    total = 0.0
    out = []
    for i, x in enumerate(xs, 1):
        total += x
        out.append(total / i)
    return out
print(running_mean([1, 2, 3, 4]), [round(v, 3) for v in running_mean([0.1, 0.7, 0.2])])
