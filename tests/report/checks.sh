# tests/report/checks.sh - quoth-report's checks beyond the golden files,
# sourced by tests/run (which defines check, T, BIN and SHARED): options,
# input and write errors, then the install test and the browser test, whose
# "N passed, N failed" lines join the driver's count.

qr=$BIN/quoth-report
check "quoth-report --help" '"$qr" --help | grep -q "^usage: quoth-report"'
check "quoth-report --version" '"$qr" --version | grep -q "^quoth-report [0-9]"'
check "quoth-report bad option" '"$qr" --nope < /dev/null 2> /dev/null; [ $? = 2 ]'
check "quoth-report bad --per-page" '"$qr" --per-page 0 < /dev/null 2> /dev/null; [ $? = 2 ]'
check "quoth-report write error" '"$qr" tests/report/nesting.in > /dev/full 2> /dev/null; [ $? = 2 ]'
check "quoth-report unreadable input" '"$qr" /nonexistent > /dev/null 2> /dev/null; [ $? = 2 ]'
check "quoth-report unwritable folder" '"$qr" -o /proc/quoth-report tests/report/nesting.in 2> /dev/null; [ $? = 2 ]'
"$qr" -o "$T/one.html" tests/report/anonymous.in
check "quoth-report -o FILE.html" '[ $? = 0 ] && [ "$(grep -c "^<article" "$T/one.html")" = 1 ]'

# A rerun into the same folder with fewer pages leaves no page of the first run.
for i in 1 2 3 4 5; do cat tests/report/anonymous.in; done > "$T/five.jsonl"
"$qr" -o "$T/pages" --per-page 2 "$T/five.jsonl" && "$qr" -o "$T/pages" --per-page 2 tests/report/anonymous.in
check "quoth-report -o DIR rerun drops stale pages" '[ $? = 0 ] && [ -f "$T/pages/page-0001.html" ] && [ ! -e "$T/pages/page-0002.html" ] && [ ! -e "$T/pages/page-0003.html" ]'

# A 2 MB article with 40,000 mentions and quotes renders and nests.
awk 'BEGIN { printf "{\"text\":\""; for (i = 0; i < 40000; i++) printf "\\u201cAb \\u00e9 cd,\\u201d Zo said. ";
	printf "\",\"mentions\":["; for (i = 0; i < 40000; i++) printf "%s{\"start\":%d,\"end\":%d,\"type\":\"PERSON\"}", i ? "," : "", i * 20 + 12, i * 20 + 14;
	printf "],\"quotes\":["; for (i = 0; i < 40000; i++) printf "%s{\"start\":%d,\"end\":%d,\"type\":\"direct\",\"speaker\":{\"start\":%d,\"end\":%d,\"name\":\"Zo\",\"kind\":\"person\"},\"cue\":{\"start\":%d,\"end\":%d,\"text\":\"said\"}}", i ? "," : "", i * 20 + 1, i * 20 + 10, i * 20 + 12, i * 20 + 14, i * 20 + 15, i * 20 + 19;
	printf "]}\n" }' > "$T/big.jsonl"
"$qr" "$T/big.jsonl" > "$T/big.html" 2> "$T/err"
check "quoth-report: big article" '[ $? = 0 ] && [ ! -s "$T/err" ] && [ "$(grep -o "id=\"a1-q[0-9]*\"" "$T/big.html" | wc -l)" = 40000 ]'
check "quoth-report: big article nests" '[ "$(grep -o "<span" "$T/big.html" | wc -l)" = "$(grep -o "</span>" "$T/big.html" | wc -l)" ]'

# counted NAME COMMAND...: runs a script that ends with "N passed, N failed".
counted() {
	name=$1; shift
	"$@" > "$T/counted" 2>&1
	grep -E '^(FAIL|skip)' "$T/counted"
	cp_=$(tail -n 1 "$T/counted" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	cf_=$(tail -n 1 "$T/counted" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	if [ -z "$cp_" ]; then bad "$name did not finish"; tail -n 5 "$T/counted"; else pass=$((pass + cp_)) fail=$((fail + cf_)); fi
}
counted "install test" sh tests/report/install
if [ -d "$SHARED/corpus/seeds" ]; then
	counted "browser test" env SHARED="$SHARED" sh tests/report/browser "$T/browser"
	mkdir -p build && cp "$T/browser/report.png" build/report-seeds.png 2> /dev/null
else
	echo "skip: $SHARED/corpus/seeds not found, browser test of the report not run"
	skip=$((skip + 1))
fi
