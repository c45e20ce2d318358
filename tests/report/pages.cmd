d=$(mktemp -d) && quoth-report -o "$d/r" --per-page 2 && cd "$d/r" && ls && grep -c '<article' page-*.html && grep -o 'href="page-[0-9]*.html[^"]*"' page-*.html; rm -rf "$d"
