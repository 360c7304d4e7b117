from ogi_report.cli import main

main()
