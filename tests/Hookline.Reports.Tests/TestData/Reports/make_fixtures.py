#!/usr/bin/env python3
"""Writes the report fixtures (.eml, CRLF) in this folder. Originals are written as original-*.eml
and embedded byte for byte (or base64 of those bytes) in the envelopes, so the tests can compare an
extracted original with its file. Run from anywhere: python3 make_fixtures.py"""
import base64
import os

HERE = os.path.dirname(os.path.abspath(__file__))
NMID = "49871234-6dc6-43e8-abcd-08d797f20abe"
NMID2 = "7c0f5a2e-1b3d-4e6f-9a8b-08de2c1f4a77"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def crlf(text):
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    return data


def b64_lines(data):
    raw = base64.b64encode(data).decode("ascii")
    return "\r\n".join(raw[i:i + 76] for i in range(0, len(raw), 76)).encode("ascii")


def exchange_original(subject, sender, nmid, ip, body, msgid, extra=""):
    return crlf(f"""Received: from AM6PR02MB4321.eurprd02.prod.outlook.com (2603:10a6:20b:e0::14)
 by DB8PR02MB5678.eurprd02.prod.outlook.com with HTTPS; Sun, 15 Nov 2026
 22:01:12 +0000
Received: from AM6EUR05FT012.eop-eur05.prod.protection.outlook.com
 (2603:10a6:20b:e0:cafe::5) by AM6PR02MB4321.outlook.office365.com
 (2603:10a6:20b:e0::14) with Microsoft SMTP Server (version=TLS1_2,
 cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7633.22 via Frontend
 Transport; Sun, 15 Nov 2026 22:01:11 +0000
Received: from mx.evil.example ({ip}) by
 AM6EUR05FT012.mail.protection.outlook.com (10.233.241.130) with Microsoft SMTP
 Server id 15.20.7633.18 via Frontend Transport; Sun, 15 Nov 2026 22:01:10 +0000
Authentication-Results: spf=fail (sender IP is {ip})
 smtp.mailfrom=evil.example; dkim=none (message not signed)
 header.d=none;dmarc=fail action=quarantine header.from=evil.example;compauth=fail
 reason=000
Received-SPF: Fail (protection.outlook.com: domain of evil.example does not
 designate {ip} as permitted sender) receiver=protection.outlook.com;
 client-ip={ip}; helo=mx.evil.example;
From: {sender}
To: Avery Adams <avery@contoso.com>
Subject: {subject}
Date: Sun, 15 Nov 2026 22:01:09 +0000
Message-ID: <{msgid}>
{extra}MIME-Version: 1.0
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: 7bit
Return-Path: bounce@evil.example
X-MS-Exchange-Organization-Network-Message-Id: {nmid}
X-MS-Exchange-Organization-SCL: 5
X-MS-Exchange-CrossTenant-Id: {TENANT}
X-MS-Exchange-CrossTenant-OriginalArrivalTime: 15 Nov 2026 22:01:10.8123 (UTC)
X-MS-Exchange-CrossTenant-Network-Message-Id: {nmid}
X-Forefront-Antispam-Report: CIP:{ip};CTRY:NL;LANG:en;SCL:5;SRV:;IPV:NLI;SFV:SPM;H:mx.evil.example;PTR:mx.evil.example;CAT:PHISH;SFS:(13230040)(4636009)(84050400002);DIR:INB;
X-Microsoft-Antispam: BCL:0;ARA:13230040|4636009|84050400002;
X-Microsoft-Antispam-Message-Info: pQ9Zk1uM4f2n0bH0x7sYl3eC9c1aWbq8vN2dK5tR6yU=

<html><body><p>{body}</p>
<p><a href="https://login.evil.example/owa">Sign in to keep your mail</a></p></body></html>
""")


def mixed(headers, boundary, parts, preamble=""):
    """parts: list of (part headers text, content bytes)."""
    out = crlf(headers) + b"\r\n"
    if preamble:
        out += crlf(preamble)
    for part_headers, content in parts:
        out += b"\r\n--" + boundary.encode() + b"\r\n" + crlf(part_headers) + b"\r\n" + content
    out += b"\r\n--" + boundary.encode() + b"--\r\n"
    return out


def text_part(text):
    return ('Content-Type: text/plain; charset="us-ascii"\nContent-Transfer-Encoding: 7bit\n', crlf(text))


def envelope_headers(subject, extra="", sender="Avery Adams <avery@contoso.com>", boundary="_004_report_"):
    return f"""Received: from DB8PR02MB5678.eurprd02.prod.outlook.com (2603:10a6:10:1::3) by
 DB8PR02MB9999.eurprd02.prod.outlook.com with HTTPS; Mon, 16 Nov 2026 09:12:45
 +0000
From: {sender}
To: Phish Reports <report@contoso.com>
Subject: {subject}
Thread-Topic: {subject}
Thread-Index: AQHbNz1x2kYV0r3H6EqzG0oTqg8Kdw==
Date: Mon, 16 Nov 2026 09:12:44 +0000
Message-ID: <DB8PR02MB5678A1B2C3D4E5F6@DB8PR02MB5678.eurprd02.prod.outlook.com>
Accept-Language: en-US
Content-Language: en-US
X-MS-Has-Attach: yes
X-MS-TNEF-Correlator:
X-MS-Exchange-Organization-AuthAs: Internal
X-MS-Exchange-Organization-AuthSource: DB8PR02MB5678.eurprd02.prod.outlook.com
{extra}Content-Type: multipart/mixed;
\tboundary="{boundary}"
MIME-Version: 1.0
"""


def main():
    phish = write("original-phish.eml", exchange_original(
        "Your mailbox is full", "IT Desk <it@evil.example>", NMID, "203.0.113.9",
        "Your mailbox is 99% full. Sign in to avoid losing mail.", "abc@mail.evil.example"))
    invoice = write("original-invoice.eml", exchange_original(
        "Invoice | pay now (final) | due (today", "Accounts <billing@evil.example>", NMID2, "198.51.100.23",
        "Please settle the attached invoice today.", "inv-77@evil.example"))
    deals = write("original-deals.eml", crlf("""Received: from mail.shop.example (192.0.2.44) by mx.contoso.com; Sun, 15 Nov 2026 08:00:00 +0000
From: Shop Deals <deals@shop.example>
To: avery@contoso.com
Subject: Weekly deals: 50% off
Date: Sun, 15 Nov 2026 08:00:00 +0000
Message-ID: <deals-1@shop.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

This week's deals: https://shop.example/deals
"""))
    quarterly = write("original-quarterly.eml", crlf("""Received: from mail.partner.example (192.0.2.80) by mx.contoso.com; Sun, 15 Nov 2026 10:30:00 +0000
From: Dana Partner <dana@partner.example>
To: avery@contoso.com
Subject: Quarterly report
Date: Sun, 15 Nov 2026 10:30:00 +0000
Message-ID: <q3@partner.example>
X-MS-Exchange-Organization-Network-Message-Id: 0b5e8c11-3f2a-4d7e-8c9b-08de11aa22bb
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hi Avery, the quarterly report is on the share as usual. \u2014 Dana
"""))

    comment = """I think this email is malicious.

This email was reported using the Report button. Review it in the Microsoft Defender portal:
https://security.microsoft.com/reportsubmission?viewid=user
"""
    rfc822_headers = 'Content-Type: message/rfc822\nContent-Disposition: attachment;\n\tcreation-date="Mon, 16 Nov 2026 09:12:44 GMT";\n\tmodification-date="Mon, 16 Nov 2026 09:12:44 GMT"\n'

    # 1. Microsoft, current layout (space after the prefix).
    write("microsoft-phishing.eml", mixed(
        envelope_headers(f"Phishing: {NMID}|203.0.113.9|it@evil.example|(Your mailbox is full)"),
        "_004_report_", [text_part(comment), (rfc822_headers, phish)]))

    # 2. Microsoft, current layout, no space, junk; the original subject holds '|' and '(' and was cut before its ')'.
    write("microsoft-junk-pipes.eml", mixed(
        envelope_headers(f"Junk:{NMID2}|198.51.100.23|billing@evil.example|(Invoice | pay now (final) | due (today"),
        "_004_report_", [text_part(comment.replace("malicious", "spam")), (rfc822_headers, invoice)]))

    # 3. Legacy layout.
    write("legacy-phishing.eml", mixed(
        envelope_headers(f"3|{NMID}|167.220.232.101|test@contoso.com|(test phish submission)"),
        "_004_report_", [text_part("Reported with the Report Message add-in.\n"), (rfc822_headers, phish)]))

    # 4. Third party "1|", original as application/octet-stream named .eml.
    write("thirdparty-junk-octet.eml", mixed(
        envelope_headers("1|Weekly deals: 50% off", boundary="----=_NextPart_000_0012_01DB3"),
        "----=_NextPart_000_0012_01DB3", [
            text_part("Reported by PhishAlarm.\n"),
            ('Content-Type: application/octet-stream; name="Weekly deals.eml"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="Weekly deals.eml"\n', b64_lines(deals)),
        ]))

    # 5. Third party "Not junk:" with odd case and spacing; the original as base64 message/rfc822.
    write("thirdparty-notjunk-base64.eml", mixed(
        envelope_headers("  nOT   JUNK :  Quarterly report"),
        "_004_report_", [
            text_part("The user says this message is safe.\n"),
            ('Content-Type: message/rfc822; name="Quarterly report.eml"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="Quarterly report.eml"\n', b64_lines(quarterly)),
        ]))

    # 6. Third party "2|".
    write("thirdparty-2-notjunk.eml", mixed(
        envelope_headers("2|Quarterly report"),
        "_004_report_", [text_part("False positive.\n"), (rfc822_headers, quarterly)]))

    # 7. Third party "PHISHING :" (upper case, space before the colon), no Microsoft fields.
    write("thirdparty-phishing-upper.eml", mixed(
        envelope_headers("PHISHING :Your mailbox is full"),
        "_004_report_", [text_part("Reported by a third-party add-in.\n"), (rfc822_headers, phish)]))

    # 8. Gmail forward with the original attached.
    write("forward-gmail-attached.eml", mixed(
        """From: Avery Adams <avery.adams@gmail.example>
Date: Mon, 16 Nov 2026 10:02:11 +0100
Message-ID: <CAF=pQk8z1@mail.gmail.com>
Subject: Fwd: Your mailbox is full
To: report@contoso.com
Content-Type: multipart/mixed; boundary="000000000000a1b2c3d4e5f60718"
MIME-Version: 1.0
""", "000000000000a1b2c3d4e5f60718", [
            ('Content-Type: text/plain; charset="UTF-8"\n', crlf("This looks like phishing.\n")),
            ('Content-Type: message/rfc822; name="Your mailbox is full.eml"\nContent-Disposition: attachment; filename="Your mailbox is full.eml"\n', phish),
        ]))

    # 9. Unformatted report: attached original, no prefix, no comment.
    write("unformatted-attached.eml", mixed(
        envelope_headers("Suspicious message"),
        "_004_report_", [text_part("Please check this.\n"), (rfc822_headers, quarterly)]))

    # 10. Microsoft's comment without a prefix.
    write("microsoft-comment-only.eml", mixed(
        envelope_headers("Reported message"),
        "_004_report_", [text_part(comment.replace("malicious", "spam")), (rfc822_headers, deals)]))

    # 11. Several originals: message/rfc822, .eml as octet-stream, message/rfc822.
    write("several-originals.eml", mixed(
        envelope_headers("Phishing: three suspicious messages"),
        "_004_report_", [
            text_part("Three of these arrived this morning.\n"),
            (rfc822_headers, phish),
            ('Content-Type: application/octet-stream; name="deals.eml"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="deals.eml"\n', b64_lines(deals)),
            (rfc822_headers, invoice),
        ]))

    # 12. Prefix but no original.
    write("prefix-no-original.eml", crlf("""From: Avery Adams <avery@contoso.com>
To: report@contoso.com
Subject: Phishing: someone called pretending to be IT
Date: Mon, 16 Nov 2026 09:12:44 +0000
Message-ID: <call-1@contoso.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

They asked for my password over the phone.
"""))

    # 13. Inline forwards.
    write("inline-gmail.eml", crlf("""From: Avery Adams <avery.adams@gmail.example>
Date: Mon, 16 Nov 2026 10:05:00 +0100
Message-ID: <CAF=inline1@mail.gmail.com>
Subject: Fwd: Your mailbox is full
To: report@contoso.com
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"

I think this is fake.

---------- Forwarded message ---------
From: IT Desk <it@evil.example>
Date: Sun, Nov 15, 2026 at 11:01 PM
Subject: Your mailbox is full
To: <avery.adams@gmail.example>


Your mailbox is 99% full. Sign in: https://login.evil.example/owa
I think this email is clean.
"""))

    write("inline-outlook.eml", crlf("""From: Avery Adams <avery@contoso.com>
To: Phish Reports <report@contoso.com>
Subject: FW: Invoice overdue
Date: Mon, 16 Nov 2026 09:20:00 +0000
Message-ID: <DB8PR02MB5678FW1@DB8PR02MB5678.eurprd02.prod.outlook.com>
Thread-Index: AQHbNz1x2kYV0r3H6EqzG0oTqg8KdwAAAAAA
MIME-Version: 1.0
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: 7bit

Is this real?

-----Original Message-----
From: Accounts [mailto:billing@evil.example]
Sent: Sunday, November 15, 2026 10:01 PM
To: Avery Adams <avery@contoso.com>
Subject: Invoice overdue

Please pay the attached invoice: https://pay.evil.example/inv/77
"""))

    write("inline-outlook-block.eml", crlf("""From: Avery Adams <avery@contoso.com>
To: Phish Reports <report@contoso.com>
Subject: FW: Password expiry
Date: Mon, 16 Nov 2026 09:25:00 +0000
Message-ID: <DB8PR02MB5678FW2@DB8PR02MB5678.eurprd02.prod.outlook.com>
MIME-Version: 1.0
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: 7bit

<html><head><style>p {margin:0}</style></head><body>
<div>Suspicious.</div>
<div id="divRplyFwdMsg"><hr><b>From:</b> Helpdesk &lt;helpdesk@evil.example&gt;<br>
<b>Sent:</b> Sunday, November 15, 2026 9:30 PM<br>
<b>To:</b> Avery Adams &lt;avery@contoso.com&gt;<br>
<b>Subject:</b> Password expiry</div>
<div><p>Your password expires today. Keep it: <a href="https://keep.evil.example/">here</a></p></div>
</body></html>
"""))

    write("inline-apple.eml", crlf("""From: Avery Adams <avery@me.example>
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3826.300.87.4.3\\))
Subject: Fwd: Parcel on hold
Date: Mon, 16 Nov 2026 10:30:00 +0100
Message-Id: <5E3C1D2A-AAAA-BBBB-CCCC-1234567890AB@me.example>
To: report@contoso.com

Another one.

Begin forwarded message:

From: Parcel Service <track@evil.example>
Subject: Parcel on hold
Date: November 15, 2026 at 8:15:30 PM GMT+1
To: avery@me.example

Your parcel is on hold. Pay the fee: https://parcel.evil.example/fee
"""))

    # 14. Not reports: a newsletter, and a reply quoting an Outlook block.
    write("newsletter.eml", crlf("""Received: from mail.news.example (192.0.2.10) by mx.contoso.com; Mon, 16 Nov 2026 07:00:00 +0000
From: News <news@news.example>
To: avery@contoso.com
Subject: This week in security
Date: Mon, 16 Nov 2026 07:00:00 +0000
Message-ID: <n-1@news.example>
List-Unsubscribe: <https://news.example/u>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8

Phishing: how to spot it. Read more at https://news.example/1
--alt
Content-Type: text/html; charset=utf-8

<p>Phishing: how to spot it. <a href="https://news.example/1">Read more</a></p>
--alt--
"""))

    write("reply-quoting.eml", crlf("""From: Avery Adams <avery@contoso.com>
To: Sam <sam@contoso.com>
Subject: RE: Lunch
Date: Mon, 16 Nov 2026 11:00:00 +0000
Message-ID: <re-1@contoso.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Sure.

-----Original Message-----
From: Sam <sam@contoso.com>
Sent: Monday, November 16, 2026 10:55 AM
To: Avery Adams <avery@contoso.com>
Subject: Lunch

Lunch at noon?
"""))

    # 15. A delivery report with the bounced message attached: not a report.
    write("delivery-report.eml", mixed(
        """From: Mail Delivery System <MAILER-DAEMON@contoso.com>
To: avery@contoso.com
Subject: Undeliverable: Quarterly report
Date: Mon, 16 Nov 2026 11:00:00 +0000
Message-ID: <dsn-1@contoso.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"
""", "dsn", [
            text_part("Delivery has failed.\n"),
            ("Content-Type: message/delivery-status\n", crlf("Reporting-MTA: dns;mx.contoso.com\n\nFinal-Recipient: rfc822;x@partner.example\nAction: failed\nStatus: 5.1.1\n")),
            ("Content-Type: message/rfc822\n", quarterly),
        ]))


if __name__ == "__main__":
    main()
