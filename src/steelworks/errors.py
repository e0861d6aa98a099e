"""The one exception type for problems in user input.

Raised by ``schema``, ``physics`` and ``plant`` when a scenario, plant or price file (or an override)
is wrong; turned into a message and exit code 2 by the CLI alone. Anything else is a bug.
"""

from __future__ import annotations


class InputError(Exception):
    """A user-facing input error: where it is, what is wrong and what is allowed.

    Attributes:
        message: what is wrong, in one sentence.
        file: the file the bad value came from (or ``None`` for overrides / API input).
        location: a dotted path or ``line N`` inside that file.
        allowed: what would have been accepted (a range, a list of names, a unit).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        location: str | None = None,
        allowed: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.location = location
        self.allowed = allowed
        super().__init__(self.render())

    def render(self) -> str:
        where = ": ".join(part for part in (self.file, self.location) if part)
        text = f"{where}: {self.message}" if where else self.message
        if self.allowed:
            text += f" (allowed: {self.allowed})"
        return text

    def at(self, *, file: str | None = None, location_prefix: str | None = None) -> InputError:
        """Return a copy with the file and/or a location prefix filled in."""
        location = self.location
        if location_prefix:
            location = f"{location_prefix}.{location}" if location else location_prefix
        return InputError(
            self.message,
            file=file or self.file,
            location=location,
            allowed=self.allowed,
        )
