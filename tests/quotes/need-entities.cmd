quoth-quotes
