quoth-tokenize
