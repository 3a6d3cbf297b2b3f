"""The system's gateway list: Gateways::getGateways() and gatewaysIndexedByName() (interfaces-and-services.md 3).

Besides the configured `gateway_item`s this list holds the loopback gateways Null4/Null6 and the
dynamic gateways OPNsense derives from interfaces: for every interface and address family whose
device has learned a router (Autoconf::getRouter; simulated by `Interface.router`/`routerv6`) a
virtual gateway named `<DESCR>_<TYPE>` appears, for example `WAN_GW` (static interface) or
`WAN_DHCP` (DHCP interface). Such entries have no uuid; searchGateway uses their name instead.

Order is upstream's: a sort key (default flag, 256 - priority, sequence) descending, then defunct
entries (configured dynamic gateways whose interface offers no router) at the end.

Legacy `<gateways><gateway_item>` entries (read only when the MVC model is empty) are not simulated:
the simulator's config always uses the MVC model.
"""

from __future__ import annotations

from typing import Any

from ...core.memo import Memo, committed
from ...core.modeldata import register_configd_list
from ...core.php import filter_ip
from .gateway_model import DPINGER_DEFAULTS, GATEWAY

Record = dict[str, Any]


def real_interface(env: Any, key: str) -> str:
    """Util::getRealInterface(): the device behind an interface key ("" when unknown)."""
    iface = env.interface(key) if key else None
    return iface.device if iface is not None else ""


def _conv_type(proto: str, iface: Any) -> str | None:
    """Gateways::convertType(): a non-address ipaddr (dhcp, pppoe, ...) names the gateway type."""
    device = iface.device
    if device.startswith("ovpnc"):
        return "VPNv4" if proto == "inet" else "VPNv6"
    if device[:3] in ("gif", "gre"):
        return "TUNNELv4" if proto == "inet" else "TUNNELv6"
    value = iface.ipaddr if proto == "inet" else iface.ipaddrv6
    return value if value and not filter_ip(value) else None


def _configured(view: Any) -> list[Record]:
    """Gateways::gatewayIterator(): every field as stored, `current_*` for dpinger settings, uuid."""
    out = []
    for uuid, item in view.items(GATEWAY.key).items():
        record: Record = {}
        for name, f in GATEWAY.fields.items():
            record[name] = item.get(name, f.default)
            if name in DPINGER_DEFAULTS:
                record[f"current_{name}"] = record[name] or DPINGER_DEFAULTS[name]
        record["uuid"] = uuid
        out.append(record)
    return out


def compute(view: Any, env: Any) -> list[Record]:
    seq = [0]
    keyed: list[tuple[tuple[int, int, int], Record]] = []

    def add(prio: Any, is_default: bool, record: Record) -> None:
        seq[0] += 1
        try:
            p = min(int(prio), 255)
        except (TypeError, ValueError):
            p = 0
        keyed.append(((1 if is_default else 0, 256 - p, seq[0]), record))

    add(
        255,
        False,
        {
            "name": "Null4",
            "if": "lo0",
            "interface": "loopback",
            "ipprotocol": "inet",
            "gateway": "127.0.0.1",
            "priority": 255,
            "is_loopback": True,
        },
    )
    add(
        255,
        False,
        {
            "name": "Null6",
            "if": "lo0",
            "interface": "loopback",
            "ipprotocol": "inet6",
            "gateway": "::1",
            "priority": 255,
            "is_loopback": True,
        },
    )
    dynamic: dict[str, list[Record]] = {}
    reserved: list[str] = []
    for attribute, record in enumerate(_configured(view)):
        reserved.append(record["name"])
        record["if"] = real_interface(env, record.get("interface", ""))
        record["attribute"] = attribute
        if filter_ip(record.get("gateway", "")):
            if record.get("monitor_disable") in ("", "0") and not record.get("monitor"):
                record["monitor"] = record["gateway"]
            add(record.get("priority"), record.get("defaultgw") not in ("", "0"), record)
        else:
            record["dynamic"] = True
            dynamic.setdefault(record.get("interface", ""), []).append(record)
    for iface in env.interfaces:
        for proto in ("inet", "inet6"):
            ctype = _conv_type(proto, iface) or "GW"
            name = f"{iface.descr or iface.key}_{ctype}".upper()
            device = iface.device
            conf: Record = {
                "interface": iface.key,
                "weight": "1",
                "ipprotocol": proto,
                "name": name,
                "descr": f"Interface {name} Gateway",
                "monitor_disable": "1",
                "monitor_noroute": "0",
                "gateway_interface": False,
                "if": device,
                "dynamic": True,
                "virtual": True,
                "priority": 255 if any(t in device for t in ("gre", "gif", "ovpn")) else 254,
            }
            for idx, record in enumerate(dynamic.get(iface.key, [])):
                if record.get("ipprotocol") == proto:
                    conf = dynamic[iface.key].pop(idx)
                    break
            router = iface.router if proto == "inet" else iface.routerv6
            if conf.get("virtual") and conf["name"] in reserved:
                continue  # a configured gateway already carries this name
            if router:
                conf["gateway"] = router
                if conf.get("monitor_disable") in ("", "0", None) and not conf.get("monitor"):
                    conf["monitor"] = router
                add(conf.get("priority"), conf.get("defaultgw") not in (None, "", "0"), conf)
            elif proto == "inet6" and (iface.ipaddrv6 or "none") in ("6rd", "6to4", "dhcp6", "slaac"):
                conf.pop("gateway", None)
                add(conf.get("priority"), conf.get("defaultgw") not in (None, "", "0"), conf)
            elif not conf.get("virtual"):
                dynamic.setdefault(iface.key, []).append(conf)
    keyed.sort(key=lambda kr: kr[0], reverse=True)
    result = [record for _, record in keyed]
    for records in dynamic.values():
        for record in records:
            record = dict(record)
            record["defunct"] = True
            record.pop("gateway", None)
            result.append(record)
    return result


def indexed(
    records: list[Record], disabled: bool = False, localhost: bool = False, inactive: bool = False
) -> dict[str, Record]:
    """gatewaysIndexedByName(): filtered, keyed by name (a later duplicate replaces an earlier one)."""
    out: dict[str, Record] = {}
    for gw in records:
        if gw.get("disabled") not in (None, "", "0", False) and not disabled:
            continue
        if gw.get("is_loopback") and not localhost:
            continue
        if not gw.get("is_loopback") and not gw.get("if") and not inactive:
            continue
        out[gw["name"]] = gw
    return out


def _signature(env: Any) -> tuple:
    return tuple((i.key, i.descr, i.device, i.ipaddr, i.ipaddrv6, i.router, i.routerv6) for i in env.interfaces)


_records: Memo[list[Record]] = Memo()


def gateways(view: Any, env: Any) -> list[Record]:
    """The computed list, cached per config snapshot so a 10,000-row route search stays linear.

    Callers must not modify the returned records (copy first).
    """
    container = view.items(GATEWAY.key)
    return _records.get(container, lambda: compute(view, env), _signature(env), cacheable=committed(view, GATEWAY.key))


def select_options(view: Any, env: Any) -> dict[str, str]:
    """configd `interface gateways list`: "<name> - <address or address family>" per gateway.

    The options of every gateway field (routes, filter rules); groups are not in this list.
    """
    out = {}
    for name, gw in indexed(gateways(view, env), True, True, True).items():
        address = str(gw.get("gateway") or "")
        out[name] = f"{name} - {address}" if filter_ip(address) else f"{name} - {gw.get('ipprotocol', '')}"
    return out


def select_options_with_groups(ctx: Any) -> dict[str, str]:
    """configd `interface gateways list -g`: the gateways, then the gateway groups as themselves."""
    out = select_options(ctx.view, ctx.env)
    out.update({group: group for group in getattr(ctx.env, "gateway_groups", None) or {}})
    return out


register_configd_list("interface gateways list", lambda ctx: select_options(ctx.view, ctx.env))
register_configd_list("interface gateways list -g", select_options_with_groups)
