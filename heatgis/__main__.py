from heatgis.cli import main

raise SystemExit(main())
