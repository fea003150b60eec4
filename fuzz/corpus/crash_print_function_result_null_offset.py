def f():
	if_ = 1
        return if_
print(f())
