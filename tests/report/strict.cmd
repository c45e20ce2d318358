quoth-report --strict > /dev/null
