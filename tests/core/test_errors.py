"""flatten_messages: marshmallow/webargs messages to ``{"a.0.b": [...]}``."""

import marshmallow as ma
import pytest

from comarketing.core.errors import flatten_messages


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        ({"name": ["Missing."]}, {"name": ["Missing."]}),
        (
            {"items": {0: {"price": ["Bad."]}, 2: {"qty": ["Low.", "Neg."]}}},
            {"items.0.price": ["Bad."], "items.2.qty": ["Low.", "Neg."]},
        ),
        ({"a": {"b": {"c": ["Deep."]}}}, {"a.b.c": ["Deep."]}),
        ({"a": "Plain string."}, {"a": ["Plain string."]}),
        (["Schema problem."], {"_schema": ["Schema problem."]}),
        ("oops", {"_schema": ["oops"]}),
        ([{"a": ["x"]}, ["y"]], {"0.a": ["x"], "1": ["y"]}),
        ({}, {}),
    ],
)
def test_flatten_messages(messages, expected):
    assert flatten_messages(messages) == expected


def test_flatten_real_marshmallow_errors():
    class Item(ma.Schema):
        qty = ma.fields.Integer(required=True)

    class Order(ma.Schema):
        email = ma.fields.Email(required=True)
        items = ma.fields.List(ma.fields.Nested(Item))

    with pytest.raises(ma.ValidationError) as caught:
        Order().load({"email": "nope", "items": [{"qty": 1}, {}]})
    assert flatten_messages(caught.value.messages) == {
        "email": ["Not a valid email address."],
        "items.1.qty": ["Missing data for required field."],
    }
