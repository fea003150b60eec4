x = "é"	# comment

y = x
