"""omsorgslinje: veiviser for kommunale samhandlingsrutiner."""

__version__ = "0.1.0"
