quoth -j 2 --format tsv 2>/dev/null
