quoth-entities --add-rules bad-codes; echo "rc=$?"; cat
