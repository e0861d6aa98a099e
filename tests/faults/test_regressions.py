"""One regression test per fault the fuzz harness (tools/fuzz.py) found; each was exit 0 or a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steelworks.cli import MAX_MESSAGE_CHARS, app
from steelworks.schema.loader import DATA_DIR, SCENARIO_DIR

runner = CliRunner()


def _clean(args: list[str], *fragments: str) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output
    return result.output


@pytest.mark.parametrize(
    ("override", "fragment"),
    [
        ("units.bf2.availability=true", "got true"),
        ("carriers.hot_metal.analysis.C=true", "expected a number, got true"),
        ("carriers.dr_pellets.fe_frac=false", "got false"),
    ],
)
def test_true_or_false_is_not_a_number(override: str, fragment: str) -> None:
    """pydantic took true as 1.0: an availability of 'true' ran the works at 100 %."""
    _clean(["balance", "psm", "--set", override], override.partition("=")[0], fragment)


def test_a_price_share_is_not_a_bool() -> None:
    _clean(["evaluate", "psm-one-line", "--set", "prices.pci_coal.foreign_share=true"], "foreign_share", "got true")


def test_an_override_of_a_unit_that_does_not_run_is_an_error() -> None:
    """The issue: '--set units.bf3.inputs.electricity=nan kWh/t' on a unit that is not even built gave exit 0."""
    _clean(
        ["balance", "psm", "--set", "units.bf3.inputs.electricity=5 kWh/t"],
        "--set units.bf3.inputs.electricity",
        "'bf3' is not_built in this scenario: the override would have no effect",
    )
    _clean(["balance", "psm-eaf", "--set", "units.bf1.model.params.blast_temperature=1050"], "'bf1' is frozen")
    ok = runner.invoke(
        app,
        [
            "balance",
            "psm-eaf",
            "-f",
            "json",
            "--set",
            "units.bf1.condition=operating",
            "--set",
            "units.bf1.availability=0.9",
        ],
    )
    assert ok.exit_code == 0, ok.output  # switched on first, the unit may be tuned


def test_params_checks_values_as_balance_does() -> None:
    """`params` listed pellet_share=1.5 with exit 0 (it never built the works)."""
    _clean(["params", "psm", "--set", "units.bf1.model.params.pellet_share=1.5"], "pellet_share", "0.0 to 1.0")


def test_a_carrier_without_the_lhv_its_model_needs_is_an_error(tmp_path: Path) -> None:
    """Without coke breeze's LHV the sinter model divided by zero: all-NaN tables (JSON nulls) and exit 0."""
    carriers = (DATA_DIR / "carriers.yaml").read_text(encoding="utf-8")
    block = re.search(r"\n  coke_breeze:\n(    .*\n)+", carriers)
    assert block is not None and "lhv:" in block.group(0)
    damaged = block.group(0).replace(re.search(r"    lhv: .*\n", block.group(0)).group(0), "")  # type: ignore[union-attr]
    (tmp_path / "carriers.yaml").write_text(carriers.replace(block.group(0), damaged), encoding="utf-8")
    plant = (DATA_DIR / "plants" / "psm.yaml").read_text(encoding="utf-8")
    plant = re.sub(r"carriers_file:\s*\S+", "carriers_file: carriers.yaml", plant)
    (tmp_path / "psm.yaml").write_text(plant, encoding="utf-8")
    scenario = (SCENARIO_DIR / "psm.yaml").read_text(encoding="utf-8").replace("../plants/psm.yaml", "psm.yaml")
    (tmp_path / "s.yaml").write_text(scenario, encoding="utf-8")
    _clean(["balance", str(tmp_path / "s.yaml"), "-f", "json"], "coke_breeze has no positive lhv", "solid_fuel")


def test_a_nan_in_a_recipe_is_caught_by_the_recipe_check() -> None:
    """A NaN passes every comparison of the recipe check; it is now refused by name."""
    import numpy as np

    from steelworks.errors import InputError
    from steelworks.plant.build import build_plant, check_recipes
    from steelworks.schema.loader import load_scenario

    plant = build_plant(load_scenario("psm"))
    u = plant.unit_ids.index("bf1")
    c = plant.carrier_ids.index("coke")
    plant.recipe[u, c] = np.nan
    with pytest.raises(InputError, match="NaN or infinity for coke"):
        check_recipes(plant)


def test_a_scenario_name_too_long_for_the_file_system() -> None:
    _clean(["balance", "x" * 300], "File name too long")


def test_a_price_deck_name_too_long_for_the_file_system(tmp_path: Path) -> None:
    scenario = (SCENARIO_DIR / "psm-eaf.yaml").read_text(encoding="utf-8")
    scenario = re.sub(r"prices:\s*\S+", "prices: " + "x" * 300, scenario)
    scenario = scenario.replace("../plants/", str(DATA_DIR / "plants") + "/")
    (tmp_path / "s.yaml").write_text(scenario, encoding="utf-8")
    _clean(["evaluate", str(tmp_path / "s.yaml")], "File name too long")


def test_a_long_message_is_cut_in_the_middle(tmp_path: Path) -> None:
    scenario = (SCENARIO_DIR / "psm.yaml").read_text(encoding="utf-8").replace("../plants/psm.yaml", "p" * 20_000)
    (tmp_path / "s.yaml").write_text(scenario, encoding="utf-8")
    out = _clean(["balance", str(tmp_path / "s.yaml")], "characters left out")
    assert len(out) < MAX_MESSAGE_CHARS + 200


def test_an_input_of_a_unit_whose_recipe_comes_from_its_model_is_an_error() -> None:
    """The issue: --set units.bf1.inputs.coke="600 kg/t" left the coke rate unchanged with no word."""
    _clean(
        ["balance", "psm", "--set", "units.bf1.inputs.coke=600 kg/t"],
        "the recipe of 'bf1' comes from its blast_furnace model",
        "units.bf1.model.use=false first",
    )
    fixed = runner.invoke(
        app,
        [
            "balance",
            "psm",
            "-f",
            "json",
            "--set",
            "units.bf1.model.use=false",
            "--set",
            "units.bf1.inputs.coke=600 kg/t",
            # the fixed furnace recipe is written for the carrier table's 0.57 Fe sinter, which the sinter
            # plant's fixed recipe makes (its model makes 0.591 Fe sinter fluxed for the furnaces, issue 8.3)
            "--set",
            "units.sinter_plant.model.use=false",
        ],
    )
    assert fixed.exit_code == 0, fixed.output


def test_a_missing_option_in_the_economics_block_is_exit_2(tmp_path: Path) -> None:
    scenario = (SCENARIO_DIR / "psm-eaf.yaml").read_text(encoding="utf-8")
    scenario = re.sub(r"\n\s*option:\s*\S+", "", scenario).replace("../plants/", str(DATA_DIR / "plants") + "/")
    (tmp_path / "s.yaml").write_text(scenario, encoding="utf-8")
    _clean(["params", str(tmp_path / "s.yaml")], "economics.option", "required field 'option' is missing")


def test_negative_money_is_an_error() -> None:
    """The issue: prices.scrap.price=-382 USD/t turned the EAF's NPV positive."""
    _clean(["evaluate", "psm-eaf", "--set", "prices.scrap.price=-382 USD/t"], "money cannot be negative")


def test_true_or_false_inside_a_mapping_of_numbers_is_an_error() -> None:
    _clean(
        ["evaluate", "psm-eaf", "--set", "prices.escalation.values.2019=true"],
        "escalation.values",
        "true/false is not a value of this field's type (at 2019)",
    )


def test_a_works_that_sells_no_product_cannot_be_priced_per_tonne() -> None:
    """Fuzz case (seed 1, 10,000 run): the coil's tags replaced by an unknown name left the EAF works with
    no sold product; evaluate gave exit 0 with cash cost and LCOS null (0 t of product in the denominator)."""
    out = _clean(
        ["evaluate", "psm-eaf", "--set", "carriers.hot_rolled_coil.tags=[zzz]"],
        "carriers.yaml",
        "carriers.<id>.tags",
        "sells no carrier tagged 'product'",
    )
    assert "Traceback" not in out


@pytest.mark.parametrize("carrier", ["coke", "pci_coal"])
def test_a_furnace_fuel_without_lhv_is_named(carrier: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Fuzz case #881 (seed 1): 'lhv: null' on coke gave the furnace's heat balance no coke heat, and the
    error blamed the natural-gas rate (a negative coke rate); the missing LHV is now named."""
    tmp_path = tmp_path_factory.mktemp(carrier)
    carriers = (DATA_DIR / "carriers.yaml").read_text(encoding="utf-8")
    block = re.search(rf"\n  {carrier}:\n(    .*\n)+", carriers)
    assert block is not None and "    lhv: " in block.group(0)
    damaged = re.sub(r"    lhv: .*\n", "    lhv: null\n", block.group(0))
    (tmp_path / "carriers.yaml").write_text(carriers.replace(block.group(0), damaged), encoding="utf-8")
    plant = (DATA_DIR / "plants" / "psm.yaml").read_text(encoding="utf-8")
    (tmp_path / "psm.yaml").write_text(re.sub(r"carriers_file:\s*\S+", "carriers_file: carriers.yaml", plant))
    scenario = (SCENARIO_DIR / "psm.yaml").read_text(encoding="utf-8").replace("../plants/psm.yaml", "psm.yaml")
    (tmp_path / "s.yaml").write_text(scenario, encoding="utf-8")
    _clean(["balance", str(tmp_path / "s.yaml")], f"carrier '{carrier}'", "no positive lhv")


@pytest.mark.parametrize("text", ["8 \U0001f525", "8 ünïcødé"])
def test_a_quantity_with_stray_characters_is_refused(text: str) -> None:
    """Fuzz case #1247 (seed 7, 2,000 run): pint's tokenizer dropped an emoji, so '8 🔥' was read as the
    number 8 and converted to 8,000 kg/t of ferroalloys with exit 0."""
    from steelworks.errors import InputError
    from steelworks.units import convert

    with pytest.raises(InputError, match="unexpected character"):
        convert(text, "kg/t")
    _clean(["balance", "psm", "--set", f"units.bof1.capacity=0.65 Mt/year {text[2:]}"], "unexpected character")


def test_a_negative_heating_value_is_refused_even_where_unused() -> None:
    """Fuzz case #1916 (seed 7): benzol's LHV set negative in the mothballed works (where nothing burns it)
    gave exit 0; a heating value's domain is > 0 wherever it is given."""
    _clean(["evaluate", "psm-mothballed", "--set", "carriers.benzol.lhv=-41.1 GJ/t"], "carriers.benzol.lhv", "> 0")


def test_every_model_parameter_can_be_given_with_its_table_unit() -> None:
    """Fuzz case #419 (seed 7): a text value for the blower's blast_pressure, whose table unit is
    'bar abs', made pint read 'abs' as a unit: UndefinedUnitError traceback. Every parameter's table
    unit must be one a user can type after the number."""
    import importlib
    import pkgutil

    import steelworks.physics as physics
    from steelworks.plant.models import parameter_value

    checked = 0
    for info in pkgutil.iter_modules(physics.__path__):
        for spec in getattr(importlib.import_module(f"steelworks.physics.{info.name}"), "PARAMETERS", ()):
            text = spec.default if spec.unit in ("-", "") else f"{spec.default} {spec.unit}"
            value = parameter_value(spec, text, file=None, where=spec.name)
            assert value == pytest.approx(spec.default, rel=1e-12), (info.name, spec.name, spec.unit)
            checked += 1
    assert checked > 50
    _clean(["balance", "psm", "--set", "units.blower_station.model.params.blast_pressure=" + "x" * 300], "cannot read")


def test_a_model_parameter_of_a_unit_not_built_is_validated(tmp_path: Path) -> None:
    """Fuzz seed 7 case 1156: text in bf3's (not built) model parameter gave exit 0; a plan may build bf3."""
    plant = (DATA_DIR / "plants" / "psm.yaml").read_text(encoding="utf-8")
    bf3 = plant.index("\n    bf3:\n")
    cut = plant.index("blower_kwh_per_nm3: 0.0", bf3)
    plant = plant[:cut] + 'blower_kwh_per_nm3: "ünïcødé"' + plant[cut + len("blower_kwh_per_nm3: 0.0") :]
    plant = re.sub(r"carriers_file:\s*(\S+)", lambda m: f"carriers_file: {DATA_DIR / 'plants' / m.group(1)}", plant)
    (tmp_path / "psm.yaml").write_text(plant, encoding="utf-8")
    scenario = (SCENARIO_DIR / "psm.yaml").read_text(encoding="utf-8").replace("../plants/psm.yaml", "psm.yaml")
    (tmp_path / "s.yaml").write_text(scenario, encoding="utf-8")
    _clean(["balance", str(tmp_path / "s.yaml"), "-f", "json"], "units.bf3.model.params.blower_kwh_per_nm3", "kWh")


@pytest.mark.parametrize("text", ["null", "~", "NULL"])
def test_a_null_override_is_refused_like_an_empty_one(text: str) -> None:
    """Fuzz seed 1 case 2584: --set units.hot_strip_mill.commissioned=null cleared the year with exit 0."""
    _clean(["balance", "psm", "--set", f"units.hot_strip_mill.commissioned={text}"], "null", "--set")


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_a_dolomite_without_mgo_is_a_second_limestone() -> None:
    """Fuzz seed 2 case 2536: dolomite with no CaMg(CO3)2 divided by zero in the sinter model's flux split
    (a RuntimeWarning on stderr broke the JSON stream); now the pair is solved without a quotient by 0."""
    result = runner.invoke(
        app, ["balance", "ieaghg-reference", "--format", "json", "--set", "carriers.dolomite.analysis.CaMgCO3_2=0"]
    )
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.output
    import json

    data = json.loads(result.stdout)
    assert data["kpis"]["crude_steel_t"] == pytest.approx(4210400.0, rel=1e-9)


def test_a_bad_finance_override_is_blamed_on_the_override_not_the_bundled_file() -> None:
    """Issue 9: `--set finance.discount_rate=0.08` blamed the bundled finance.yaml; the message names the
    override and the fields of the record that can be set."""
    from typer.testing import CliRunner

    from steelworks.cli import app

    res = CliRunner().invoke(app, ["evaluate", "psm-bf-revival", "--set", "finance.discount_rate=0.08"])
    assert res.exit_code == 2
    assert "override of finance.discount_rate" in res.output
    assert "finance.discount_rate.value" in res.output and "finance.yaml" not in res.output
