"""``python -m headwater``: the ``headwater`` command line (``headwater launch -n 2 -m headwater run p.yaml``)."""

from headwater.pipelines.cli import main

if __name__ == "__main__":
    main()
