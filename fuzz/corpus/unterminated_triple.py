x = """abc

def f():
