"""The built-in site-chrome rules of ``[boilerplate]``, in English and Arabic: what a user's
config replaces key by key (see :class:`reader.core.config.Boilerplate`)."""

from __future__ import annotations

# Site chrome as whole lines (trimmed, whitespace runs made one space), English then Arabic.
# Arabic patterns allow the spellings sites use side by side (أ/ا, ة/ه, أيضا/أيضاً/أيضًا).
_ALSO = "[أا]يض[اً]{1,2}"
DEFAULT_DROP_LINES = (
    r"Log [Ii]n",
    r"Forgot password\?",
    r"Leave your vote",
    r"Please enter your comment!",
    r"Please enter your name here",
    r"Loading \.\.\.",
    r"Privacy Policy",
    r"Add to Collection",
    r"No Collections",
    r"Here you'll find all collections you've created before\.",
    r"Enter your account data and we will send you a link to reset your password\.",
    r"Your password reset link appears to be invalid or expired\.",
    r".*\bImage: \d+, License: .*",
    r"Read (?:[Mm]ore|[Aa]lso)\b.{0,200}",
    r"Share (?:this|on)\b.{0,40}",
    r"(?:الصفح[ةه] )?الرئيسي[ةه]",
    r"اتصل بنا|من نحن|خريط[ةه] الموقع|سياس[ةه] الخصوصي[ةه]|شروط الاستخدام",
    r".{0,40}جميع الحقوق محفوظ[ةه].{0,60}",
    r"تابع(?:ونا|نا)(?: على| عبر| في)?.{0,60}",
    r"شارك(?:وا)?(?: (?:هذا |ه?ذه )?(?:الخبر|المقال|الموضوع|على|عبر).{0,40})?",
    r"(?:تم )?نسخ الرابط|طباع[ةه]|(?:ال)?تعليقات(?: \(\d+\))?|[أا]ضف تعليق[اًا]*",
    r"(?:اشترك|سجل)(?: الآن)?(?: في)? (?:ال)?نشر[ةه].{0,60}",
    r"تسجيل (?:ال)?دخول|تسجيل الخروج|[إا]نشاء حساب",
    r"[إا]علان|مساح[ةه] [إا]علاني[ةه]",
    rf"(?:[اإ]قر[أا]|طالع) (?:المزيد|{_ALSO}|كذلك)\s*[:：]?.{{0,200}}",
    r"عاجل",
    r"مواقيت الصلا[ةه].{0,80}",
    r"(?:(?:الفجر|الشروق|الظهر|العصر|المغرب|العشاء) ?[:：]? ?[\d٠-٩]{1,2}[:.٫][\d٠-٩]{2}"
    r"(?: ?[صم]\.?)?[ |،,-]*)+",
)
# A line that heads a list of teasers: it and the next ``block_lines`` lines go.
DEFAULT_DROP_BLOCKS = (
    "Check Also",
    r"Related (?:[Aa]rticles|[Ss]tories|[Nn]ews|[Pp]osts)",
    r"Most (?:[Rr]ead|[Pp]opular|[Vv]iewed)",
    r"(?:مواضيع|[أا]خبار|مقالات) (?:ذات صل[ةه]|متعلق[ةه]|مشابه[ةه])",
    r"(?:ال)?[أا]كثر (?:قراء[ةه]|مشاهد[ةه]|تداول[اً]*)",
    rf"قد يهم[ّ]?ك(?: {_ALSO})?",
)
