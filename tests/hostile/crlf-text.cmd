quoth-normalize --text | quoth-tokenize
