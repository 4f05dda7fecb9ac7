"""DMS's onboarding types as pydantic models, with DMS's JSON field names.

These validate what a person or a script hands us (types, signs) and give the
exact JSON shapes DMS consumers read. The rules that need the machine (10-90 %,
Cardano minimums, free disk) live in ``rules.py``; the models only check what is
true whatever the hardware.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, NonNegativeFloat, NonNegativeInt, field_validator

from app.onboarding.addresses import normal_address


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CapacityForNunet(_Model):
    """The provider's offer (DMS ``CapacityForNunet``, plus ``disk`` and ``gpus``)."""

    memory: NonNegativeInt = Field(description="MB (bytes / 1024 / 1024, as DMS)")
    cpu: NonNegativeInt = Field(description="MHz")
    ntx_price: NonNegativeFloat = Field(default=0.0, description="NTX per minute")
    channel: str
    payment_addr: str
    cardano: bool = False
    server_mode: bool = Field(default=True, description="DMS's -l/--local-enable, default true")
    is_available: bool = True
    disk: NonNegativeInt = Field(default=0, description="GB offered (bytes / 1024**3)")
    gpus: tuple[NonNegativeInt, ...] = Field(default=(), description="GPU indices offered")
    cores: NonNegativeInt | None = Field(
        default=None, description="Cores offered; None means as many as the CPU share needs"
    )

    @field_validator("payment_addr")
    @classmethod
    def _normal_address(cls, value: str) -> str:
        """Stored as every other path stores it: no blanks around, ``0x``, bech32 in lower
        case (the CLI stored ``"0x... "`` and ``0X...`` exactly as typed)."""
        return normal_address(value)


class Provisioned(_Model):
    """The machine's usable total (DMS ``Provisioned``)."""

    cpu: int
    memory: int
    total_cores: int


class CpuMemory(_Model):
    cpu: int
    memory: int


class Resource(_Model):
    memory_max: int
    total_core: int
    cpu_max: int


class GpuInfo(_Model):
    """One GPU as DMS's ``gpu_info`` entry, plus what we know beyond it."""

    name: str
    tot_vram: int
    free_vram: int
    index: int | None = None
    vendor: str | None = None
    driver: str | None = None
    uuid: str | None = None


class Metadata(_Model):
    """What onboarding stores (DMS ``MetadataV2``): keys and order are DMS's."""

    name: str
    update_timestamp: int
    resource: Resource
    available: CpuMemory
    reserved: CpuMemory
    network: str
    public_key: str
    node_id: str
    allow_cardano: bool
    gpu_info: list[GpuInfo] = Field(default_factory=list)
    dashboard: str = ""
    ntx_price: float = 0.0


class AvailableResources(_Model):
    """What the node offers to jobs (DMS ``AvailableResources``)."""

    tot_cpu_hz: int = Field(description="MHz despite the name, as DMS")
    cpu_no: int
    cpu_hz: float = Field(description="MHz of one core")
    vcpu: int
    ram: int
    disk: int
    ntx_price: float


class BlockchainAddressPrivKey(_Model):
    """A new payment address with its secrets: shown once, never stored."""

    address: str
    private_key: str
    mnemonic: str

    def __repr__(self) -> str:  # secrets never reach a log line or a traceback
        return f"BlockchainAddressPrivKey(address={self.address!r}, private_key=<hidden>, mnemonic=<hidden>)"

    __str__ = __repr__
