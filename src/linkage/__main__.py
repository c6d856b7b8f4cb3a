from linkage.cli import main

raise SystemExit(main())
