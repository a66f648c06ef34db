from mlcoach.cli.app import main

main()
