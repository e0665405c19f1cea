import sys

from tiswatch.cli import main

sys.exit(main())
