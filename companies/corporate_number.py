"""The 13-digit corporate number (法人番号) and its check digit (National Tax Agency).

The first digit checks the other twelve: with P(n) the n-th of them counted from the right and
Q(n) = 1 for odd n and 2 for even n, the check digit is 9 − (Σ P(n)×Q(n) mod 9).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def check_digit(base: str) -> int:
    total = sum(int(digit) * (1 if n % 2 else 2) for n, digit in enumerate(reversed(base), start=1))
    return 9 - total % 9


def normalise(value: str) -> str:
    """Digits only: people paste numbers with spaces or hyphens, and in full-width digits."""
    table = str.maketrans("０１２３４５６７８９", "0123456789")
    # Hyphens as Japanese input methods type them too: minus sign (macOS), long-vowel mark (kana mode).
    return "".join(ch for ch in value.translate(table) if ch not in " -‐‑–—−－ー\u3000")


def validate_corporate_number(value: str) -> None:
    if not (len(value) == 13 and value.isascii() and value.isdigit()):
        raise ValidationError(_("A corporate number has 13 digits."), code="format")
    if int(value[0]) != check_digit(value[1:]):
        raise ValidationError(_("This corporate number is not valid: check the digits."), code="check_digit")
