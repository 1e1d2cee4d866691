"""The corporate number's check digit (National Tax Agency) and how pasted numbers are cleaned."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companies.corporate_number import check_digit, normalise, validate_corporate_number
from tests.factories import valid_corporate_number

NTA = "7000012050002"  # the National Tax Agency's own corporate number
FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
KNOWN_VALID = [NTA, "8700110005901"]


def error_code(value: str) -> str | None:
    try:
        validate_corporate_number(value)
    except ValidationError as error:
        return error.code
    return None


# --- The check digit ---------------------------------------------------------------------------


@pytest.mark.parametrize("number", KNOWN_VALID)
def test_check_digit_of_known_numbers(number):
    assert check_digit(number[1:]) == int(number[0])
    validate_corporate_number(number)


def test_check_digit_by_hand():
    # 000012050002 from the right: 2×1 + 5×1 + 2×1 + 1×2 = 11; 11 mod 9 = 2; 9 − 2 = 7.
    assert check_digit("000012050002") == 7
    # Every weight 2 on the even places: twelve zeros sum to 0, so the check digit is 9, never 0.
    assert check_digit("000000000000") == 9


@pytest.mark.parametrize("base", [0, 1, 100_000_000_000, 123_456_789_012, 999_999_999_999])
def test_numbers_of_the_factory_are_valid(base):
    number = valid_corporate_number(base)
    assert len(number) == 13
    assert number[1:] == f"{base:012d}"
    assert error_code(number) is None


@pytest.mark.parametrize(
    "number",
    [f"{digit}{valid[1:]}" for valid in KNOWN_VALID for digit in "0123456789" if digit != valid[0]],
)
def test_every_wrong_check_digit_fails(number):
    with pytest.raises(ValidationError) as error:
        validate_corporate_number(number)
    assert error.value.code == "check_digit"
    assert error.value.messages == ["This corporate number is not valid: check the digits."]


@pytest.mark.parametrize(
    "value",
    [
        "",
        NTA[:12],  # 12 digits
        NTA + "0",  # 14 digits
        "A000012050002",
        "700001205000O",  # a letter O for a zero
        "7000-12050002",  # not normalised: a hyphen
        NTA.translate(FULL_WIDTH),  # not normalised: full-width digits
        "7000012050002\n",
        "٧٠٠٠٠١٢٠٥٠٠٠٢",  # Arabic-Indic digits are digits, but not ASCII
    ],
)
def test_anything_but_13_ascii_digits_fails_on_format(value):
    with pytest.raises(ValidationError) as error:
        validate_corporate_number(value)
    assert error.value.code == "format"
    assert error.value.messages == ["A corporate number has 13 digits."]


# --- Normalising what people paste ------------------------------------------------------------


@pytest.mark.parametrize(
    "pasted",
    [
        "7000012050002",
        "7-0000-1205-0002",
        "7 0000 1205 0002",
        " 7000012050002 ",
        NTA.translate(FULL_WIDTH),
        "7-0000-1205-0002".translate(FULL_WIDTH),  # full-width hyphen-minus
        "7\u20100000\u20101205\u20100002",  # Unicode hyphen
        "7 0000 1205 0002".translate(FULL_WIDTH).replace(" ", "\u3000"),  # ideographic spaces
        "7\u22120000\u22121205\u22120002",  # minus sign, as Japanese input methods on macOS type it
        "7\u30fc0000\u30fc1205\u30fc0002",  # long-vowel mark, as typed in kana mode
        "7\u20130000\u20131205\u20130002",  # en dash
    ],
)
def test_normalise_then_validate(pasted):
    assert normalise(pasted) == NTA
    validate_corporate_number(normalise(pasted))


def test_normalise_leaves_letters_for_the_validator_to_refuse():
    assert normalise("7-0000-1205-000A") == "700001205000A"
    assert error_code(normalise("7-0000-1205-000A")) == "format"


def test_normalise_keeps_a_wrong_check_digit_wrong():
    assert error_code(normalise("6-0000-1205-0002".translate(FULL_WIDTH))) == "check_digit"


# --- A property: one first digit per base ----------------------------------------------------


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)
@given(base=st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_exactly_one_first_digit_passes_for_any_base(base):
    passing = [digit for digit in "0123456789" if error_code(f"{digit}{base}") is None]
    assert len(passing) == 1
    assert passing[0] != "0"
    assert passing == [str(check_digit(base))]
