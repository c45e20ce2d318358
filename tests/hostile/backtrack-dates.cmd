quoth-tokenize | quoth-entities --add-rules slow-rules
