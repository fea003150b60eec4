def f():
    \


