quoth -j 2 --format csv 2>/dev/null
