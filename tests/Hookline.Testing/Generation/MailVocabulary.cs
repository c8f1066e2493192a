namespace Hookline.Testing.Generation;

/// <summary>Words, names and subjects the generator draws from. Domains are reserved test domains.</summary>
internal static class MailVocabulary
{
    public static readonly string[] Words =
    [
        "the", "invoice", "meeting", "please", "review", "attached", "document", "account", "team", "update",
        "project", "deadline", "thanks", "regards", "payment", "schedule", "quarter", "report", "budget", "approval",
        "security", "password", "verify", "access", "policy", "customer", "order", "shipment", "delivery", "contract",
        "signature", "notice", "urgent", "tomorrow", "morning", "afternoon", "call", "agenda", "minutes", "follow",
        "up", "on", "our", "your", "with", "for", "and", "to", "of", "in", "is", "this", "that", "we", "will",
        "have", "be", "can", "you", "let", "me", "know", "if", "any", "questions", "as", "discussed", "below",
    ];

    public static readonly string[] NonAsciiWords =
    [
        "Grüße", "Überweisung", "naïve", "café", "façade", "Rechnung", "fällig", "señor", "año", "Zürich",
        "Привет", "счёт", "оплата", "日本語", "会議", "请查收", "발송", "€", "–", "“quoted”", "Ελλάδα", "ça", "smörgåsbord",
    ];

    public static readonly (string Text, string Charset)[] Subjects =
    [
        ("Überweisung bestätigen – Rechnung Nr. 4711 fällig", "utf-8"),
        ("Réunion d'équipe à 14h – ordre du jour", "iso-8859-1"),
        ("Invoice “overdue” – €1,250 payable today", "windows-1252"),
        ("会議のお知らせ 請求書の確認をお願いします", "iso-2022-jp"),
        ("您的账户已被暂停 请立即验证", "gb2312"),
        ("Ваш пароль истекает сегодня", "utf-8"),
        ("Señal de pago recibida – año fiscal", "iso-8859-1"),
        ("Action required: unusual sign-in activity ✓", "utf-8"),
    ];

    public static readonly string[] AsciiSubjects =
    [
        "Q3 budget review", "RE: Contract renewal", "FW: Shipment delayed", "Your account will be suspended",
        "Meeting notes from Tuesday", "Invoice INV-20931 attached", "Action required: verify your mailbox",
        "Weekly newsletter", "Updated project timeline", "Password expiry notice",
    ];

    public static readonly (string Text, string Charset)[] DisplayNames =
    [
        ("Müller, Hans", "utf-8"), ("José García", "iso-8859-1"), ("Zoë “Finance” Adams", "windows-1252"),
        ("山田 太郎", "iso-2022-jp"), ("王伟", "gb2312"), ("Дмитрий Иванов", "utf-8"), ("Microsoft 365 Sécurité", "utf-8"),
    ];

    public static readonly string[] AsciiNames =
    [
        "Alice Johnson", "Bob Smith", "IT Helpdesk", "Payroll Team", "Carol Diaz", "Microsoft 365 Security",
        "DocuSign Service", "Accounts Payable", "Dan O'Neil", "Eve Carter",
    ];

    public static readonly string[] Domains =
    [
        "contoso.example", "fabrikam.example", "vendor-billing.example", "mail.example.com", "lists.example.org",
        "example.net", "corp.example", "secure-login.example-verify.test",
    ];

    public static readonly string[] AttachmentNames =
    [
        "Rechnung_Überfällig_2024.pdf", "Счёт на оплату.docx", "請求書_2024年.pdf", "facture détaillée.pdf",
        "invoice 4711.pdf", "scan0001.png", "Payment Advice – Remittance.zip", "Q3 Report.docx", "Angebot Nr. 5 (final).pdf",
        "photo.png", "Contract_signed.pdf", "Überblick Projekt März.docx",
    ];

    public static readonly string[] Hosts =
    [
        "AM6PR01MB1234.eurprd01.prod.exchangelabs.com", "DB9PR01MB5678.eurprd01.prod.exchangelabs.com",
        "AM0EUR02FT011.eop-eur02.prod.protection.outlook.com", "VI1PR08CA0123.eurprd08.prod.outlook.com",
        "mail-sor-f41.google.com", "mx.google.com", "smtp.fabrikam.example", "relay.vendor-billing.example",
        "mx1.lists.example.org", "localhost.localdomain", "mta7.bulk-sender.test",
    ];
}
