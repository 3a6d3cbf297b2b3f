"""Lists the firewall reads from the running system, as fixed data.

- `/etc/protocols` of FreeBSD (what ProtocolField lists and getprotobyname() knows);
- names from `/etc/services` (what Util::getservbyname() knows): a fixed subset of the common
  service names, not FreeBSD's complete file;
- PortField's built-in well-known services (PortField.php);
- ISO-3166 countries with their regions, from the tzdata tables OPNsense ships in contrib/iana
  (AliasController::listCountriesAction, AliasContentField geoip validation; "EU" is added upstream);
- local user groups (the factory config has only `admins`, gid 1999).
"""

from __future__ import annotations

import re

# FreeBSD lib/libc/net/protocols (name, number, official name, aliases, comment marker).
PROTOCOLS_TAB = """\
ip 0 IP # internet protocol, pseudo protocol number
icmp 1 ICMP # internet control message protocol
igmp 2 IGMP # internet group management protocol
ggp 3 GGP # gateway-gateway protocol
ipencap 4 IP-ENCAP # IP encapsulated in IP
st2 5 ST2 # ST2 datagram mode
tcp 6 TCP # transmission control protocol
cbt 7 CBT # CBT
egp 8 EGP # exterior gateway protocol
igp 9 IGP # any private interior gateway
bbn-rcc 10 BBN-RCC-MON # BBN RCC Monitoring
nvp 11 NVP-II # Network Voice Protocol
pup 12 PUP # PARC universal packet protocol
argus 13 ARGUS # ARGUS
emcon 14 EMCON # EMCON
xnet 15 XNET # Cross Net Debugger
chaos 16 CHAOS # Chaos
udp 17 UDP # user datagram protocol
mux 18 MUX # Multiplexing protocol
dcn 19 DCN-MEAS # DCN Measurement Subsystems
hmp 20 HMP # host monitoring protocol
prm 21 PRM # packet radio measurement protocol
xns-idp 22 XNS-IDP # Xerox NS IDP
trunk-1 23 TRUNK-1 # Trunk-1
trunk-2 24 TRUNK-2 # Trunk-2
leaf-1 25 LEAF-1 # Leaf-1
leaf-2 26 LEAF-2 # Leaf-2
rdp 27 RDP # reliable datagram protocol
irtp 28 IRTP # Internet Reliable Transaction Protocol
iso-tp4 29 ISO-TP4 # ISO Transport Protocol Class 4
netblt 30 NETBLT # Bulk Data Transfer Protocol
mfe-nsp 31 MFE-NSP # MFE Network Services Protocol
merit-inp 32 MERIT-INP # MERIT Internodal Protocol
dccp 33 DCCP # Datagram Congestion Control Protocol
3pc 34 3PC # Third Party Connect Protocol
idpr 35 IDPR # Inter-Domain Policy Routing Protocol
xtp 36 XTP # Xpress Transfer Protocol
ddp 37 DDP # Datagram Delivery Protocol
idpr-cmtp 38 IDPR-CMTP # IDPR Control Message Transport Proto
tp++ 39 TP++ # TP++ Transport Protocol
il 40 IL # IL Transport Protocol
ipv6 41 IPV6 # ipv6
sdrp 42 SDRP # Source Demand Routing Protocol
ipv6-route 43 IPV6-ROUTE # routing header for ipv6
ipv6-frag 44 IPV6-FRAG # fragment header for ipv6
idrp 45 IDRP # Inter-Domain Routing Protocol
rsvp 46 RSVP # Resource ReSerVation Protocol
gre 47 GRE # Generic Routing Encapsulation
dsr 48 DSR # Dynamic Source Routing Protocol
bna 49 BNA # BNA
esp 50 ESP # encapsulating security payload
ah 51 AH # authentication header
i-nlsp 52 I-NLSP # Integrated Net Layer Security TUBA
swipe 53 SWIPE # IP with Encryption
narp 54 NARP # NBMA Address Resolution Protocol
mobile 55 MOBILE # IP Mobility
tlsp 56 TLSP # Transport Layer Security Protocol
skip 57 SKIP # SKIP
ipv6-icmp 58 IPV6-ICMP icmp6 # ICMP for IPv6
ipv6-nonxt 59 IPV6-NONXT # no next header for ipv6
ipv6-opts 60 IPV6-OPTS # destination options for ipv6
cftp 62 CFTP # CFTP
sat-expak 64 SAT-EXPAK # SATNET and Backroom EXPAK
kryptolan 65 KRYPTOLAN # Kryptolan
rvd 66 RVD # MIT Remote Virtual Disk Protocol
ippc 67 IPPC # Internet Pluribus Packet Core
sat-mon 69 SAT-MON # SATNET Monitoring
visa 70 VISA # VISA Protocol
ipcv 71 IPCV # Internet Packet Core Utility
cpnx 72 CPNX # Computer Protocol Network Executive
cphb 73 CPHB # Computer Protocol Heart Beat
wsn 74 WSN # Wang Span Network
pvp 75 PVP # Packet Video Protocol
br-sat-mon 76 BR-SAT-MON # Backroom SATNET Monitoring
sun-nd 77 SUN-ND # SUN ND PROTOCOL-Temporary
wb-mon 78 WB-MON # WIDEBAND Monitoring
wb-expak 79 WB-EXPAK # WIDEBAND EXPAK
iso-ip 80 ISO-IP # ISO Internet Protocol
vmtp 81 VMTP # Versatile Message Transport
secure-vmtp 82 SECURE-VMTP # SECURE-VMTP
vines 83 VINES # VINES
ttp 84 TTP # TTP
nsfnet-igp 85 NSFNET-IGP # NSFNET-IGP
dgp 86 DGP # Dissimilar Gateway Protocol
tcf 87 TCF # TCF
eigrp 88 EIGRP # Enhanced Interior Routing Protocol (Cisco)
ospf 89 OSPFIGP # Open Shortest Path First IGP
sprite-rpc 90 Sprite-RPC # Sprite RPC Protocol
larp 91 LARP # Locus Address Resolution Protocol
mtp 92 MTP # Multicast Transport Protocol
ax.25 93 AX.25 # AX.25 Frames
ipip 94 IPIP # Yet Another IP encapsulation
micp 95 MICP # Mobile Internetworking Control Pro.
scc-sp 96 SCC-SP # Semaphore Communications Sec. Pro.
etherip 97 ETHERIP # Ethernet-within-IP Encapsulation
encap 98 ENCAP # Yet Another IP encapsulation
gmtp 100 GMTP # GMTP
ifmp 101 IFMP # Ipsilon Flow Management Protocol
pnni 102 PNNI # PNNI over IP
pim 103 PIM # Protocol Independent Multicast
aris 104 ARIS # ARIS
scps 105 SCPS # SCPS
qnx 106 QNX # QNX
a/n 107 A/N # Active Networks
ipcomp 108 IPComp # IP Payload Compression Protocol
snp 109 SNP # Sitara Networks Protocol
compaq-peer 110 Compaq-Peer # Compaq Peer Protocol
ipx-in-ip 111 IPX-in-IP # IPX in IP
carp 112 CARP vrrp # Common Address Redundancy Protocol
pgm 113 PGM # PGM Reliable Transport Protocol
l2tp 115 L2TP # Layer Two Tunneling Protocol
ddx 116 DDX # D-II Data Exchange
iatp 117 IATP # Interactive Agent Transfer Protocol
stp 118 STP # Schedule Transfer Protocol
srp 119 SRP # SpectraLink Radio Protocol
uti 120 UTI # UTI
smp 121 SMP # Simple Message Protocol
sm 122 SM # SM
ptp 123 PTP # Performance Transparency Protocol
isis 124 ISIS # ISIS over IPv4
fire 125 FIRE
crtp 126 CRTP # Combat Radio Transport Protocol
crudp 127 CRUDP # Combat Radio User Datagram
sscopmce 128 SSCOPMCE
iplt 129 IPLT
sps 130 SPS # Secure Packet Shield
pipe 131 PIPE # Private IP Encapsulation within IP
sctp 132 SCTP # Stream Control Transmission Protocol
fc 133 FC # Fibre Channel
rsvp-e2e-ignore 134 RSVP-E2E-IGNORE # Aggregation of RSVP for IP reservations
mobility-header 135 Mobility-Header # Mobility Support in IPv6
udplite 136 UDPLite # The UDP-Lite Protocol
mpls-in-ip 137 MPLS-IN-IP # Encapsulating MPLS in IP
manet 138 MANET # MANET Protocols (RFC5498)
hip 139 HIP # Host Identity Protocol (RFC5201)
shim6 140 SHIM6 # Shim6 Protocol (RFC5533)
wesp 141 WESP # Wrapped Encapsulating Security Payload (RFC5840)
rohc 142 ROHC # Robust Header Compression (RFC5858)
pfsync 240 PFSYNC # PF Synchronization
divert 258 DIVERT # Divert pseudo-protocol [non IANA]
"""

SERVICE_NAMES_TEXT = """
Clearcase acr-nema afpovertcp afs3-bos afs3-callback afs3-fileserver afs3-kaserver afs3-prserver
afs3-rmtsys afs3-update afs3-vlserver afs3-volser amanda amandaidx amidxtape amqp amqps asf-rmcp asp
auth authentication babel bacula-dir bacula-fd bacula-sd bbs bgp bgpd biff binkp bootpc bootps canna
cfengine chargen cisco-sccp clc-build-daemon clearcase cmd cmip-agent cmip-man codaauth2 codasrv
codasrv-se comsat csync2 cvspserver daap datametrics daytime db-lsp dcap dhcpv6-client dhcpv6-server
dicom dict dircproxy discard distcc domain domain-s echo epmap epmd exec f5-globalsite f5-iquery fax
fido finger font-service freeciv fsp fspd ftp ftp-data ftps ftps-data gdomap gds-db gds_db git
gnunet gnutella-rtr gnutella-svc gopher gpsd gris groupwise gsidcap gsiftp gsigatekeeper hkp hprop
http http-alt https hylafax iax icp icpv2 ident imap imap2 imaps ingreslock ipp iprop ipsec-nat-t
ipx ircd ircs-u isakmp iscsi-target isisd isns iso-tsap jabber-client jabber-server kamanda kdc
kerberos kerberos-adm kerberos-iv kerberos-master kerberos-sec kerberos4 kerberos5 kerberos_master
kermit klogin kpasswd krb-prop krb5 krb5_prop krb_prop krcmd kshell l2f l2tp ldap ldaps ldp loc-srv
login lotusnote lotusnotes lrrd mail mailq mdns microsoft-ds moira-db moira-update moira-ureg
moira_db moira_update moira_ureg mon ms-sql-m ms-sql-s ms-wbt-server mtn munin mysql mysql-proxy nbd
nbp netbios-dgm netbios-ns netbios-ssn netstat nfs nicname nntp nntps nqs nrpe nsca ntalk ntp ntske
null nut old-radacct old-radius omniorb openvpn ospf6d ospfapi ospfd passwd-server passwd_server
pawserv pop-3 pop3 pop3s poppassd portmapper postgres postgresql predict printer proofd ptp-event
ptp-general puppet qmqp qmtp qotd quote radacct radius radius-acct radmin-port readnews redis remctl
ripd ripngd rmiregistry rmtcfg rootd route routed router rpc2portmap rplay rptp rsync rtcm-sc104
rtmp rtsp sa-msg-port saft sane sane-port saned sge-execd sge-qmaster sge_execd sge_qmaster sgi-cad
sgi-cmsd sgi-crsd sgi-gcd shell sieve silc sink sip sip-tls skkserv smtp smtps smux snmp snmp-trap
snmptrap snntp snpp socks source spamd spooler ssh ssmtp submission submissions subversion sunrpc
supfiledbg supfilesrv suucp svn svrloc syslog syslog-tls sysrqd systat tacacs talk tap tcpmux telnet
telnets tfido tftp time timserver tinc tproxy tsap ttytst untp urd users uucp uucpd venus venus-se
wais webcache webmin who whod whois wnn6 www x11 x11-0 x11-1 x11-2 x11-3 x11-4 x11-5 x11-6 x11-7
xdmcp xfs xinetd xmms2 xmpp-client xmpp-server xtel xtelw z3950 zabbix-agent zabbix-trapper zebra
zebrasrv zephyr-clt zephyr-hm zephyr-srv zip zope zope-ftp zserv
"""
# code, name, region ("-": none, as for BV and HM)
COUNTRIES_TAB = """\
EU	Unclassified	Europe
AD	Andorra	Europe
AE	United Arab Emirates	Asia
AF	Afghanistan	Asia
AG	Antigua & Barbuda	America
AI	Anguilla	America
AL	Albania	Europe
AM	Armenia	Asia
AO	Angola	Africa
AQ	Antarctica	Antarctica
AR	Argentina	America
AS	Samoa (American)	Pacific
AT	Austria	Europe
AU	Australia	Australia
AW	Aruba	America
AX	Åland Islands	Europe
AZ	Azerbaijan	Asia
BA	Bosnia & Herzegovina	Europe
BB	Barbados	America
BD	Bangladesh	Asia
BE	Belgium	Europe
BF	Burkina Faso	Africa
BG	Bulgaria	Europe
BH	Bahrain	Asia
BI	Burundi	Africa
BJ	Benin	Africa
BL	St Barthelemy	America
BM	Bermuda	Atlantic
BN	Brunei	Asia
BO	Bolivia	America
BQ	Caribbean NL	America
BR	Brazil	America
BS	Bahamas	America
BT	Bhutan	Asia
BV	Bouvet Island	-
BW	Botswana	Africa
BY	Belarus	Europe
BZ	Belize	America
CA	Canada	America
CC	Cocos (Keeling) Islands	Indian
CD	Congo (Dem. Rep.)	Africa
CF	Central African Rep.	Africa
CG	Congo (Rep.)	Africa
CH	Switzerland	Europe
CI	Côte d'Ivoire	Africa
CK	Cook Islands	Pacific
CL	Chile	America
CM	Cameroon	Africa
CN	China	Asia
CO	Colombia	America
CR	Costa Rica	America
CU	Cuba	America
CV	Cape Verde	Atlantic
CW	Curaçao	America
CX	Christmas Island	Indian
CY	Cyprus	Asia
CZ	Czech Republic	Europe
DE	Germany	Europe
DJ	Djibouti	Africa
DK	Denmark	Europe
DM	Dominica	America
DO	Dominican Republic	America
DZ	Algeria	Africa
EC	Ecuador	America
EE	Estonia	Europe
EG	Egypt	Africa
EH	Western Sahara	Africa
ER	Eritrea	Africa
ES	Spain	Europe
ET	Ethiopia	Africa
FI	Finland	Europe
FJ	Fiji	Pacific
FK	Falkland Islands	Atlantic
FM	Micronesia	Pacific
FO	Faroe Islands	Atlantic
FR	France	Europe
GA	Gabon	Africa
GB	Britain (UK)	Europe
GD	Grenada	America
GE	Georgia	Asia
GF	French Guiana	America
GG	Guernsey	Europe
GH	Ghana	Africa
GI	Gibraltar	Europe
GL	Greenland	America
GM	Gambia	Africa
GN	Guinea	Africa
GP	Guadeloupe	America
GQ	Equatorial Guinea	Africa
GR	Greece	Europe
GS	South Georgia & the South Sandwich Islands	Atlantic
GT	Guatemala	America
GU	Guam	Pacific
GW	Guinea-Bissau	Africa
GY	Guyana	America
HK	Hong Kong	Asia
HM	Heard Island & McDonald Islands	-
HN	Honduras	America
HR	Croatia	Europe
HT	Haiti	America
HU	Hungary	Europe
ID	Indonesia	Asia
IE	Ireland	Europe
IL	Israel	Asia
IM	Isle of Man	Europe
IN	India	Asia
IO	British Indian Ocean Territory	Indian
IQ	Iraq	Asia
IR	Iran	Asia
IS	Iceland	Atlantic
IT	Italy	Europe
JE	Jersey	Europe
JM	Jamaica	America
JO	Jordan	Asia
JP	Japan	Asia
KE	Kenya	Africa
KG	Kyrgyzstan	Asia
KH	Cambodia	Asia
KI	Kiribati	Pacific
KM	Comoros	Indian
KN	St Kitts & Nevis	America
KP	Korea (North)	Asia
KR	Korea (South)	Asia
KW	Kuwait	Asia
KY	Cayman Islands	America
KZ	Kazakhstan	Asia
LA	Laos	Asia
LB	Lebanon	Asia
LC	St Lucia	America
LI	Liechtenstein	Europe
LK	Sri Lanka	Asia
LR	Liberia	Africa
LS	Lesotho	Africa
LT	Lithuania	Europe
LU	Luxembourg	Europe
LV	Latvia	Europe
LY	Libya	Africa
MA	Morocco	Africa
MC	Monaco	Europe
MD	Moldova	Europe
ME	Montenegro	Europe
MF	St Martin (French)	America
MG	Madagascar	Indian
MH	Marshall Islands	Pacific
MK	North Macedonia	Europe
ML	Mali	Africa
MM	Myanmar (Burma)	Asia
MN	Mongolia	Asia
MO	Macau	Asia
MP	Northern Mariana Islands	Pacific
MQ	Martinique	America
MR	Mauritania	Africa
MS	Montserrat	America
MT	Malta	Europe
MU	Mauritius	Indian
MV	Maldives	Indian
MW	Malawi	Africa
MX	Mexico	America
MY	Malaysia	Asia
MZ	Mozambique	Africa
NA	Namibia	Africa
NC	New Caledonia	Pacific
NE	Niger	Africa
NF	Norfolk Island	Pacific
NG	Nigeria	Africa
NI	Nicaragua	America
NL	Netherlands	Europe
NO	Norway	Europe
NP	Nepal	Asia
NR	Nauru	Pacific
NU	Niue	Pacific
NZ	New Zealand	Pacific
OM	Oman	Asia
PA	Panama	America
PE	Peru	America
PF	French Polynesia	Pacific
PG	Papua New Guinea	Pacific
PH	Philippines	Asia
PK	Pakistan	Asia
PL	Poland	Europe
PM	St Pierre & Miquelon	America
PN	Pitcairn	Pacific
PR	Puerto Rico	America
PS	Palestine	Asia
PT	Portugal	Europe
PW	Palau	Pacific
PY	Paraguay	America
QA	Qatar	Asia
RE	Réunion	Indian
RO	Romania	Europe
RS	Serbia	Europe
RU	Russia	Europe
RW	Rwanda	Africa
SA	Saudi Arabia	Asia
SB	Solomon Islands	Pacific
SC	Seychelles	Indian
SD	Sudan	Africa
SE	Sweden	Europe
SG	Singapore	Asia
SH	St Helena	Atlantic
SI	Slovenia	Europe
SJ	Svalbard & Jan Mayen	Arctic
SK	Slovakia	Europe
SL	Sierra Leone	Africa
SM	San Marino	Europe
SN	Senegal	Africa
SO	Somalia	Africa
SR	Suriname	America
SS	South Sudan	Africa
ST	Sao Tome & Principe	Africa
SV	El Salvador	America
SX	St Maarten (Dutch)	America
SY	Syria	Asia
SZ	Eswatini (Swaziland)	Africa
TC	Turks & Caicos Is	America
TD	Chad	Africa
TF	French S. Terr.	Indian
TG	Togo	Africa
TH	Thailand	Asia
TJ	Tajikistan	Asia
TK	Tokelau	Pacific
TL	East Timor	Asia
TM	Turkmenistan	Asia
TN	Tunisia	Africa
TO	Tonga	Pacific
TR	Turkey	Europe
TT	Trinidad & Tobago	America
TV	Tuvalu	Pacific
TW	Taiwan	Asia
TZ	Tanzania	Africa
UA	Ukraine	Europe
UG	Uganda	Africa
UM	US minor outlying islands	Pacific
US	United States	America
UY	Uruguay	America
UZ	Uzbekistan	Asia
VA	Vatican City	Europe
VC	St Vincent	America
VE	Venezuela	America
VG	Virgin Islands (UK)	America
VI	Virgin Islands (US)	America
VN	Vietnam	Asia
VU	Vanuatu	Pacific
WF	Wallis & Futuna	Pacific
WS	Samoa (western)	Pacific
YE	Yemen	Asia
YT	Mayotte	Indian
ZA	South Africa	Africa
ZM	Zambia	Africa
ZW	Zimbabwe	Africa
"""

# PortField::$wellknownservices (PortField.php).
WELL_KNOWN_PORTS: dict[str, int] = {
    "afs3-fileserver": 7000,
    "aol": 5190,
    "auth": 113,
    "avt-profile-1": 5004,
    "cvsup": 5999,
    "domain": 53,
    "ftp": 21,
    "hbci": 3000,
    "http": 80,
    "https": 443,
    "igmpv3lite": 465,
    "imap": 143,
    "imaps": 993,
    "ipsec-msft": 10000,
    "ipsec-nat-t": 4500,
    "isakmp": 500,
    "l2f": 1701,
    "ldap": 389,
    "microsoft-ds": 445,
    "ms-streaming": 1755,
    "ms-wbt-server": 3389,
    "msnp": 1863,
    "nat-stun-port": 3478,
    "netbios-dgm": 138,
    "netbios-ns": 137,
    "netbios-ssn": 139,
    "nntp": 119,
    "ntp": 123,
    "openvpn": 1194,
    "pop3": 110,
    "pop3s": 995,
    "pptp": 1723,
    "radius": 1812,
    "radius-acct": 1813,
    "rfb": 5900,
    "sip": 5060,
    "smtp": 25,
    "snmp": 161,
    "snmptrap": 162,
    "ssh": 22,
    "submission": 587,
    "telnet": 23,
    "teredo": 3544,
    "tftp": 69,
    "urd": 465,
    "wins": 1512,
}

USER_GROUPS: dict[str, str] = {"1999": "admins"}  # gid -> name


def _protocol_rows() -> list[list[str]]:
    return [re.split(r"\s+", line.strip()) for line in PROTOCOLS_TAB.splitlines() if line.strip()]


def _protocol_names() -> frozenset[str]:
    """getprotobyname(): official names and aliases, compared case-sensitively."""
    names = set()
    for parts in _protocol_rows():
        for idx, token in enumerate(parts):
            if token.startswith("#"):
                break
            if idx != 1:
                names.add(token)
    return frozenset(names)


PROTOCOL_NAMES = _protocol_names()
SERVICE_NAMES = frozenset(SERVICE_NAMES_TEXT.split()) | frozenset(WELL_KNOWN_PORTS)
COUNTRIES: dict[str, tuple[str, str | None]] = {
    code: (name, None if region == "-" else region)
    for code, name, region in (line.split("\t") for line in COUNTRIES_TAB.splitlines() if line)
}


def pf_protocols() -> list[tuple[str, str]]:
    """ProtocolField options without `any` and AddOptions: (key, label), rows with a comment only
    (count(preg_split) >= 4), number > 0, IPv6 extension headers excluded."""
    excluded = {"IPV6-ROUTE", "IPV6-FRAG", "IPV6-OPTS", "IPV6-NONXT", "MOBILITY-HEADER"}
    out = []
    for parts in _protocol_rows():
        if len(parts) >= 4 and int(parts[1]) > 0 and parts[0].upper() not in excluded:
            out.append((parts[0].upper(), parts[0].upper()))
    return out
