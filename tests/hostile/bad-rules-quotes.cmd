quoth-quotes --add-rules bad-quotes; echo "rc=$?"; cat
