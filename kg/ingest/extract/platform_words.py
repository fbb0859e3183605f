"""Word classes the platform rules read (kg/ingest/extract/platforms.py): market-side words,
systems that are not information systems, network technologies, government domains."""
from __future__ import annotations

import re

# Market-side platforms (industry, enterprises, trade) are not government platforms unless a
# government scope word owns them.
MARKET = re.compile(r"工业互联网|工业|产业|企业|电商|电子商务|贸易|双创|双跨|创新平台|科创|检测|实训|价值链|供应链|物流|"
                     r"码头|港口|集疏运|直播|短视频|OTA")
MARKET_BRAND = re.compile(r"工业|双创|双跨|电商|电子商务|供应链|物流|码头|港口|集疏运|直播|短视频|OTA")  # in quotes
# Systems that are not information systems: 生态系统, 能源系统, 卫星导航系统.
NOT_INFORMATION_SYSTEM = re.compile(r"(?:生态|能源|导航|动力|识别|免疫|操作)系统$")
# Network technologies and generations, not networks someone owns: 千兆光网, 5G专网, 物联网.
NETWORK_TECHNOLOGY = re.compile(r"\dG|千兆|万兆|无源光|PON|软件定义|物联网|算力网")
GOVERNMENT_DOMAIN = re.compile(r"政务|警务|公安|应急|卫生|健康|监管|水利|生态|感知|城市|政府|电子政务")
