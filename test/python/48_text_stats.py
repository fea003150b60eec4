text = """It was the best of times, it was the worst of times,
it was the age of wisdom, it was the age of foolishness"""
words = [w.strip(",.").lower() for w in text.split()]
freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1
top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
print(len(words), len(freq), top)
print(max(words, key=len), sorted(set(words), key=lambda w: (len(w), w))[:3])
lines = text.split("\n")
print([len(l) for l in lines], [l.count("it") for l in lines], text.find("age"), "wisdom" in text)
print(" ".join(w[::-1] for w in words[:4]), "".join(sorted("seedflow")), words.index("age"))
