quoth-report | grep -c '^<article'
