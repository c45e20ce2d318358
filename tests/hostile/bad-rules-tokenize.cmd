quoth-tokenize --add-rules bad-tokenize; echo "rc=$?"; cat
