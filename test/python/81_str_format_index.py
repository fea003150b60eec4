# str.format field indices: digits only are an index (a Py_ssize_t), anything else a keyword
for f in ["{99999999999999999999}", "{9223372036854775807}", "{9223372036854775808}", "{9999999999}",
          "{1a}", "{3}", "{0}{1}", "{1}{0}{1}", "{00}", "{01:>3}"]:
    try:
        print(repr(f.format(1, 2)))
    except Exception as e:
        print(type(e).__name__, e)
# widths and precisions: past Py_ssize_t too
for f in ["{:6000000000000000000000000}", "{:.6000000000000000000000000f}", "{:>8}|", "{:.3f}", "{:012.4f}"]:
    try:
        print(repr(f.format(1.5)))
    except Exception as e:
        print(type(e).__name__, e)
