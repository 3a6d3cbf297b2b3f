# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Name lists the firewall's validators consult that no API lists: data only.

- ``RESERVED_WORDS``: the pfctl keywords an alias may not be called (core
  ``models/OPNsense/Firewall/FieldTypes/AliasNameField.php``);
- ``SERVICE_NAMES``: names ``getservbyname()`` knows (FreeBSD ``/etc/services``; the common names
  only, as the simulator has them), which alias names may not be and port entries may be;
- ``PROTOCOL_NAMES``: names and aliases ``getprotobyname()`` knows (FreeBSD ``/etc/protocols``),
  case-sensitive;
- ``WELL_KNOWN_PORTS``: ``PortField::$wellknownservices`` (``Base/FieldTypes/PortField.php``) as
  the option list builds it: ``['any'] + array_keys(...)``, a PHP array union that drops the first
  name (``afs3-fileserver``);
- ``COUNTRIES``: ISO 3166 codes of ``contrib/iana/tzdata-iso3166.tab`` plus ``EU``
  (``Firewall/FieldTypes/AliasContentField.php``, geoip content).
"""

from __future__ import annotations

RESERVED_WORDS = frozenset(
    """
    all allow-opts altq anchor antispoof any bandwidth binat binat-anchor bitmask block block-policy
    buckets cbq code codelq crop debug divert-reply divert-to drop drop-ovl dup-to fail-policy fairq
    fastroute file fingerprints flags floating flush for fragment from global group hfsc hogs hostid
    icmp-type icmp6-type if-bound in include inet inet6 interval keep label limit linkshare load log
    loginterface max max-mss max-src-conn max-src-conn-rate max-src-nodes max-src-states min-ttl
    modulate nat nat-anchor no no-df no-route no-sync on optimization os out overload pass port prio
    priority priq probability proto qlimit queue quick random random-id rdr rdr-anchor realtime
    reassemble reply-to require-order return return-icmp return-icmp6 return-rst round-robin route
    route-to rtable rule ruleset-optimization scrub set set-tos skip sloppy source-hash source-track
    state state-defaults state-policy static-port sticky-address synproxy table tag tagged target
    tbrsize timeout to tos ttl upperlimit urpf-failed user
    """.split()
)

SERVICE_NAMES = frozenset(
    """
    acr-nema afpovertcp afs3-bos afs3-callback afs3-fileserver afs3-kaserver afs3-prserver
    afs3-rmtsys afs3-update afs3-vlserver afs3-volser amanda amandaidx amidxtape amqp amqps aol asf-
    rmcp asp auth authentication avt-profile-1 babel bacula-dir bacula-fd bacula-sd bbs bgp bgpd
    biff binkp bootpc bootps canna cfengine chargen cisco-sccp clc-build-daemon Clearcase clearcase
    cmd cmip-agent cmip-man codaauth2 codasrv codasrv-se comsat csync2 cvspserver cvsup daap
    datametrics daytime db-lsp dcap dhcpv6-client dhcpv6-server dicom dict dircproxy discard distcc
    domain domain-s echo epmap epmd exec f5-globalsite f5-iquery fax fido finger font-service
    freeciv fsp fspd ftp ftp-data ftps ftps-data gdomap gds-db gds_db git gnunet gnutella-rtr
    gnutella-svc gopher gpsd gris groupwise gsidcap gsiftp gsigatekeeper hbci hkp hprop http http-
    alt https hylafax iax icp icpv2 ident igmpv3lite imap imap2 imaps ingreslock ipp iprop ipsec-
    msft ipsec-nat-t ipx ircd ircs-u isakmp iscsi-target isisd isns iso-tsap jabber-client jabber-
    server kamanda kdc kerberos kerberos-adm kerberos-iv kerberos-master kerberos-sec kerberos4
    kerberos5 kerberos_master kermit klogin kpasswd krb-prop krb5 krb5_prop krb_prop krcmd kshell
    l2f l2tp ldap ldaps ldp loc-srv login lotusnote lotusnotes lrrd mail mailq mdns microsoft-ds
    moira-db moira-update moira-ureg moira_db moira_update moira_ureg mon ms-sql-m ms-sql-s ms-
    streaming ms-wbt-server msnp mtn munin mysql mysql-proxy nat-stun-port nbd nbp netbios-dgm
    netbios-ns netbios-ssn netstat nfs nicname nntp nntps nqs nrpe nsca ntalk ntp ntske null nut
    old-radacct old-radius omniorb openvpn ospf6d ospfapi ospfd passwd-server passwd_server pawserv
    pop-3 pop3 pop3s poppassd portmapper postgres postgresql pptp predict printer proofd ptp-event
    ptp-general puppet qmqp qmtp qotd quote radacct radius radius-acct radmin-port readnews redis
    remctl rfb ripd ripngd rmiregistry rmtcfg rootd route routed router rpc2portmap rplay rptp rsync
    rtcm-sc104 rtmp rtsp sa-msg-port saft sane sane-port saned sge-execd sge-qmaster sge_execd
    sge_qmaster sgi-cad sgi-cmsd sgi-crsd sgi-gcd shell sieve silc sink sip sip-tls skkserv smtp
    smtps smux snmp snmp-trap snmptrap snntp snpp socks source spamd spooler ssh ssmtp submission
    submissions subversion sunrpc supfiledbg supfilesrv suucp svn svrloc syslog syslog-tls sysrqd
    systat tacacs talk tap tcpmux telnet telnets teredo tfido tftp time timserver tinc tproxy tsap
    ttytst untp urd users uucp uucpd venus venus-se wais webcache webmin who whod whois wins wnn6
    www x11 x11-0 x11-1 x11-2 x11-3 x11-4 x11-5 x11-6 x11-7 xdmcp xfs xinetd xmms2 xmpp-client xmpp-
    server xtel xtelw z3950 zabbix-agent zabbix-trapper zebra zebrasrv zephyr-clt zephyr-hm zephyr-
    srv zip zope zope-ftp zserv
    """.split()
)

PROTOCOL_NAMES = frozenset(
    """
    3PC 3pc A/N a/n AH ah ARGUS argus ARIS aris AX.25 ax.25 bbn-rcc BBN-RCC-MON BNA bna BR-SAT-MON
    br-sat-mon CARP carp CBT cbt CFTP cftp CHAOS chaos Compaq-Peer compaq-peer CPHB cphb CPNX cpnx
    CRTP crtp CRUDP crudp DCCP dccp dcn DCN-MEAS DDP ddp DDX ddx DGP dgp DIVERT divert DSR dsr EGP
    egp EIGRP eigrp EMCON emcon ENCAP encap ESP esp ETHERIP etherip FC fc FIRE fire GGP ggp GMTP
    gmtp GRE gre HIP hip HMP hmp I-NLSP i-nlsp IATP iatp ICMP icmp icmp6 IDPR idpr IDPR-CMTP idpr-
    cmtp IDRP idrp IFMP ifmp IGMP igmp IGP igp IL il IP ip IP-ENCAP IPComp ipcomp IPCV ipcv ipencap
    IPIP ipip IPLT iplt IPPC ippc IPV6 ipv6 IPV6-FRAG ipv6-frag IPV6-ICMP ipv6-icmp IPV6-NONXT
    ipv6-nonxt IPV6-OPTS ipv6-opts IPV6-ROUTE ipv6-route IPX-in-IP ipx-in-ip IRTP irtp ISIS isis
    ISO-IP iso-ip ISO-TP4 iso-tp4 KRYPTOLAN kryptolan L2TP l2tp LARP larp LEAF-1 leaf-1 LEAF-2
    leaf-2 MANET manet MERIT-INP merit-inp MFE-NSP mfe-nsp MICP micp MOBILE mobile Mobility-Header
    mobility-header MPLS-IN-IP mpls-in-ip MTP mtp MUX mux NARP narp NETBLT netblt NSFNET-IGP nsfnet-
    igp nvp NVP-II ospf OSPFIGP PFSYNC pfsync PGM pgm PIM pim PIPE pipe PNNI pnni PRM prm PTP ptp
    PUP pup PVP pvp QNX qnx RDP rdp ROHC rohc RSVP rsvp RSVP-E2E-IGNORE rsvp-e2e-ignore RVD rvd SAT-
    EXPAK sat-expak SAT-MON sat-mon SCC-SP scc-sp SCPS scps SCTP sctp SDRP sdrp SECURE-VMTP secure-
    vmtp SHIM6 shim6 SKIP skip SM sm SMP smp SNP snp Sprite-RPC sprite-rpc SPS sps SRP srp SSCOPMCE
    sscopmce ST2 st2 STP stp SUN-ND sun-nd SWIPE swipe TCF tcf TCP tcp TLSP tlsp TP++ tp++ TRUNK-1
    trunk-1 TRUNK-2 trunk-2 TTP ttp UDP udp UDPLite udplite UTI uti VINES vines VISA visa VMTP vmtp
    vrrp WB-EXPAK wb-expak WB-MON wb-mon WESP wesp WSN wsn XNET xnet XNS-IDP xns-idp XTP xtp
    """.split()
)

WELL_KNOWN_PORTS = tuple(
    """
    any aol auth avt-profile-1 cvsup domain ftp hbci http https igmpv3lite imap imaps ipsec-msft
    ipsec-nat-t isakmp l2f ldap microsoft-ds ms-streaming ms-wbt-server msnp nat-stun-port netbios-
    dgm netbios-ns netbios-ssn nntp ntp openvpn pop3 pop3s pptp radius radius-acct rfb sip smtp snmp
    snmptrap ssh submission telnet teredo tftp urd wins
    """.split()
)

COUNTRIES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
    BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
    EG EH ER ES ET EU FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK
    HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB
    LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
    NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU
    RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN
    TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
    """.split()
)
