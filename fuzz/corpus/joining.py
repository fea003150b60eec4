x = f(1,
  # c
  seed=2,
)
y = 1 + \
  2; z = (a, b)
(c, d) = [1, 2]
