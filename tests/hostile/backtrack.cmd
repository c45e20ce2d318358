quoth-normalize --add-rules slow-rules | quoth-tokenize
