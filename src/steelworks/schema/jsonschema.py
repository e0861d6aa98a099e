"""JSON Schemas of the three file formats, built from the pydantic models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from steelworks.schema.plant import CarrierSpec, PlantSpec, ScenarioSpec


class ScenarioFile(BaseModel):
    model_config = ConfigDict(extra="forbid", title="steelworks scenario file")
    scenario: ScenarioSpec


class PlantFile(BaseModel):
    model_config = ConfigDict(extra="forbid", title="steelworks plant file")
    plant: PlantSpec


class CarriersFile(BaseModel):
    model_config = ConfigDict(extra="forbid", title="steelworks carriers file")
    carriers: dict[str, CarrierSpec]


_FILES: dict[str, type[BaseModel]] = {"scenario": ScenarioFile, "plant": PlantFile, "carriers": CarriersFile}


def json_schema(kind: str) -> dict[str, Any]:
    schema = _FILES[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
