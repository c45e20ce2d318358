quoth-normalize --add-rules bad-normalize; echo "rc=$?"; cat
