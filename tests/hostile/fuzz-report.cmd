quoth-report | sed -n '/^<article/,/^<\/article>/p'
