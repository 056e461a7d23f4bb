"""What a warm render kernel runs inside itself (:mod:`model.outputs.kernels` keeps the kernels).

Imported in the kernel, so it imports nothing at module level.
"""

from __future__ import annotations

#: Matplotlib's settings and the warning filters of a fresh kernel (set in the kernel, once).
_fresh_state: tuple | None = None


def remember_fresh_state() -> None:
    """In the kernel, just after it starts: remember what :func:`restore_fresh_state` puts back."""
    global _fresh_state
    import warnings

    import matplotlib
    import matplotlib.pyplot  # noqa: F401  (activates the kernel's inline backend, as a report's imports do)

    _fresh_state = (matplotlib.rcParams.copy(), list(warnings.filters))


def restore_fresh_state() -> None:
    """In the kernel, between two reports: the state :func:`remember_fresh_state` saw."""
    import warnings

    import matplotlib
    import matplotlib.pyplot as plt
    from IPython import get_ipython

    shell = get_ipython()
    shell.reset(new_session=True)  # as %reset -f, and a new history session whose execution counter starts at 1
    plt.close("all")
    settings, filters = _fresh_state
    with warnings.catch_warnings():  # the saved settings include deprecated ones; they were valid when saved
        warnings.simplefilter("ignore")
        matplotlib.rcParams.update(settings)
    warnings.resetwarnings()  # also forgets which warnings were already shown
    warnings.filters[:] = filters
