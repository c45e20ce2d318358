quoth-entities --add-rules bad-entities; echo "rc=$?"; cat
