from tplan.cli import main

main()
