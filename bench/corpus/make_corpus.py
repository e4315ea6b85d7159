#!/usr/bin/env python3
"""Writes updates.json: the `result` array of a getUpdates reply, 60 varied
updates shaped like the ones Telegram sends (Bot API 10.3 field set), with
deterministic pseudo-random ids so the file is reproducible.

    python3 make_corpus.py > updates.json

The file is what the benchmarks read; this script only documents how it was
made and lets it be regenerated. Entity offsets and lengths are counted in
UTF-16 code units, as Telegram counts them.
"""

import json
import random
import sys

rng = random.Random(20261125)
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

T0 = 1795600000  # 2026-11-25 08:26:40 UTC
_t = T0


def now(step=7):
    global _t
    _t += rng.randint(1, step)
    return _t


def token(n):
    return "".join(rng.choice(B64) for _ in range(n))


def file_ids(prefix):
    """A (file_id, file_unique_id) pair in Telegram's shapes."""
    return {"file_id": prefix + token(rng.randint(52, 70)), "file_unique_id": "AQAD" + token(rng.randint(10, 14))}


def u16(s):
    return len(s.encode("utf-16-le")) // 2


def ent(text, part, kind, **extra):
    """A MessageEntity covering the first occurrence of `part` in `text`."""
    i = text.index(part)
    e = {"offset": u16(text[:i]), "length": u16(part), "type": kind}
    e.update(extra)
    return e


# ---------------------------------------------------------------- people, chats
BOT = {"id": 7123456789, "is_bot": True, "first_name": "Orders Helper", "username": "orders_helper_bot"}
OTHER_BOT = {"id": 6001234567, "is_bot": True, "first_name": "GIF", "username": "gif"}

def user(uid, first, last=None, username=None, lang="en", premium=False):
    u = {"id": uid, "is_bot": False, "first_name": first}
    if last:
        u["last_name"] = last
    if username:
        u["username"] = username
    if lang:
        u["language_code"] = lang
    if premium:
        u["is_premium"] = True
    return u


ALICE = user(384729105, "Alice", "Moreau", "alice_mrx", "fr", premium=True)
BORIS = user(5129384756, "Борис", "Кузнецов", "boris_k", "ru")
CHEN = user(1029384756, "Chen", None, "chenwei", "zh-hans")
DANA = user(6283749501, "Dana", "O'Neil", None, "en")
EMRE = user(947362815, "Emre", "Yılmaz", "emre_y", "tr", premium=True)
FATIMA = user(7712093846, "Fatima", "Zahra", "fz_design", "ar")
GUS = user(2093847561, "Gus", None, None, None)
USERS = [ALICE, BORIS, CHEN, DANA, EMRE, FATIMA, GUS]


def private(u):
    c = {"id": u["id"], "type": "private", "first_name": u["first_name"]}
    if "last_name" in u:
        c["last_name"] = u["last_name"]
    if "username" in u:
        c["username"] = u["username"]
    return c


GROUP = {"id": -1001893746251, "title": "Rust Bots 🦀 Community", "username": "rustbots_chat", "type": "supergroup"}
FORUM = {"id": -1002219384756, "title": "Orders Support", "type": "supergroup", "is_forum": True}
SMALL_GROUP = {"id": -4829375610, "title": "Family plans", "type": "group"}
CHANNEL = {"id": -1001567890123, "title": "Daily Deals", "username": "daily_deals_news", "type": "channel"}
OTHER_CHANNEL = {"id": -1001234509876, "title": "Tech Digest", "username": "techdigest", "type": "channel"}

_msg_ids = {}


def next_id(chat):
    _msg_ids[chat["id"]] = _msg_ids.get(chat["id"], rng.randint(1000, 90000)) + rng.randint(1, 4)
    return _msg_ids[chat["id"]]


def msg(chat, frm=None, **fields):
    m = {"message_id": next_id(chat)}
    if frm is not None:
        m["from"] = frm
    if chat["type"] == "channel":
        m["sender_chat"] = chat
    m["chat"] = chat
    m["date"] = now()
    m.update(fields)
    return m


def text_msg(chat, frm, text, entities=None, **fields):
    m = msg(chat, frm, text=text, **fields)
    if entities:
        m["entities"] = entities
    return m


def photo_sizes(w, h):
    sizes = []
    for scale in (90, 320, 800, 1280):
        f = scale / max(w, h)
        if f > 1:
            break
        ph = file_ids("AgACAgIAAxkBAAI")
        ph.update({"file_size": int(w * f * h * f * 0.12) + 800, "width": round(w * f), "height": round(h * f)})
        sizes.append(ph)
    return sizes


def thumb(w=320, h=180):
    t = file_ids("AAMCAgADGQEAAg")
    t.update({"file_size": rng.randint(4000, 22000), "width": w, "height": h})
    return t


updates = []


def add(kind, value):
    updates.append({"update_id": 874512301 + len(updates), kind: value})


# -------------------------------------------------------------------- messages
t = "/start"
add("message", text_msg(private(ALICE), ALICE, t, [ent(t, "/start", "bot_command")]))

t = "/start ref_campaign_2026_winter"
add("message", text_msg(private(BORIS), BORIS, t, [ent(t, "/start", "bot_command")]))

t = "Hi! I ordered the blue kettle yesterday, order #A-88231, but the tracking link says 'label created' since Monday. Can you check?"
add("message", text_msg(private(DANA), DANA, t, [ent(t, "order #A-88231", "bold")]))

t = "/track@orders_helper_bot A-88231"
add("message", text_msg(GROUP, CHEN, t, [ent(t, "/track@orders_helper_bot", "bot_command")]))

t = "Привет! Подскажите, доставка в Казань занимает сколько дней? 🙏"
add("message", text_msg(private(BORIS), BORIS, t))

t = "See https://docs.rs/botapi and the guide at example.com/guide — ping @alice_mrx if the #webhook part is unclear. Code: `Client::new(token)`"
add("message", text_msg(GROUP, EMRE, t, [
    ent(t, "https://docs.rs/botapi", "url"),
    ent(t, "example.com/guide", "url"),
    ent(t, "@alice_mrx", "mention"),
    ent(t, "#webhook", "hashtag"),
    ent(t, "Client::new(token)", "code"),
], link_preview_options={"url": "https://docs.rs/botapi", "prefer_small_media": True}))

t = "Release notes 🎉\nbotapi 0.2 is out: typed errors, retries and webhooks.\nfn main() { bot.run() }\nThanks to Emre for the review!"
add("message", text_msg(GROUP, FATIMA, t, [
    ent(t, "Release notes 🎉", "bold"),
    ent(t, "botapi 0.2", "italic"),
    ent(t, "typed errors", "underline"),
    ent(t, "fn main() { bot.run() }", "pre", language="rust"),
    ent(t, "Emre", "text_mention", user=EMRE),
    ent(t, "webhooks", "text_link", url="https://example.com/botapi/webhooks"),
    ent(t, "retries", "spoiler"),
]))

t = "Weekend sale ends Sunday ⏰"
add("message", text_msg(private(EMRE), EMRE, t, [ent(t, "⏰", "custom_emoji", custom_emoji_id="5368324170671202286")]))

t = "+1 to that, same issue here"
orig = text_msg(GROUP, CHEN, "Is anyone else getting 429 Too Many Requests from sendMessage with 30 msg/s?")
add("message", text_msg(GROUP, DANA, t, reply_to_message=orig, quote={"text": "429 Too Many Requests", "position": 24, "is_manual": True}))

t = "Thanks, that fixed it"
orig = text_msg(private(ALICE), BOT, "Your order A-77120 has shipped 🚚", reply_markup={"inline_keyboard": [[{"text": "Track", "url": "https://example.com/t/A-77120"}]]})
add("message", text_msg(private(ALICE), ALICE, t, reply_to_message=orig))

t = "Meeting moved to 15:00 UTC"
add("message", text_msg(FORUM, GUS, t, message_thread_id=118, is_topic_message=True,
                         reply_to_message=msg(FORUM, ALICE, message_id=118, forum_topic_created={"name": "Refunds", "icon_color": 7322096})))

add("message", msg(GROUP, ALICE, via_bot=OTHER_BOT,
        animation=dict(file_ids("CgACAgQAAxkBAAI"), width=480, height=270, duration=4, thumbnail=thumb(320, 180), file_name="mp4.mp4", mime_type="video/mp4", file_size=284113),
        document=dict(file_ids("CgACAgQAAxkBAAI"), thumbnail=thumb(320, 180), file_name="mp4.mp4", mime_type="video/mp4", file_size=284113)))

# media
c = "Kettle arrived damaged, see photo"
add("message", msg(private(DANA), DANA, photo=photo_sizes(1280, 960), caption=c, caption_entities=[ent(c, "damaged", "bold")]))

add("message", msg(GROUP, FATIMA, media_group_id="13876029384756123", photo=photo_sizes(1080, 1350), has_media_spoiler=True))

add("message", msg(private(EMRE), EMRE, audio=dict(file_ids("CQACAgIAAxkBAAI"), duration=214, performer="Nils Frahm", title="Says", file_name="03 - Says.mp3", mime_type="audio/mpeg", file_size=8571234, thumbnail=thumb(320, 320))))

c = "Unboxing video 📦"
add("message", msg(GROUP, CHEN, video=dict(file_ids("BAACAgIAAxkBAAI"), width=1920, height=1080, duration=47, thumbnail=thumb(320, 180), file_name="unboxing.mp4", mime_type="video/mp4", file_size=15234871), caption=c, show_caption_above_media=True))

add("message", msg(private(ALICE), ALICE, document=dict(file_ids("BQACAgIAAxkBAAI"), file_name="invoice_2026-11.pdf", mime_type="application/pdf", file_size=148213, thumbnail=thumb(226, 320)), caption="Invoice for November"))

add("message", msg(private(BORIS), BORIS, sticker=dict(file_ids("CAACAgIAAxkBAAI"), type="regular", width=512, height=512, emoji="😂", set_name="HotCherry", is_animated=True, is_video=False, thumbnail=thumb(128, 128), file_size=31427)))

add("message", msg(GROUP, EMRE, sticker=dict(file_ids("CAACAgIAAxkBAAI"), type="regular", width=512, height=512, emoji="👍", set_name="RustaceanStickers", is_animated=False, is_video=True, thumbnail=thumb(128, 128), file_size=48211)))

add("message", msg(private(FATIMA), FATIMA, voice=dict(file_ids("AwACAgIAAxkBAAI"), duration=12, mime_type="audio/ogg", file_size=38910)))

add("message", msg(private(CHEN), CHEN, video_note=dict(file_ids("DQACAgIAAxkBAAI"), length=384, duration=9, thumbnail=thumb(240, 240), file_size=412093)))

add("message", msg(private(DANA), DANA, location={"latitude": 48.858844, "longitude": 2.294351, "horizontal_accuracy": 12.5}))

add("message", msg(GROUP, GUS, location={"latitude": 52.520008, "longitude": 13.404954, "horizontal_accuracy": 30, "live_period": 900, "heading": 270}))

add("message", msg(private(ALICE), ALICE, venue={"location": {"latitude": 40.748817, "longitude": -73.985428}, "title": "Empire State Building", "address": "20 W 34th St, New York, NY 10001", "foursquare_id": "43a52546f964a520532c1fe3", "foursquare_type": "arts_entertainment/default"},
                    location={"latitude": 40.748817, "longitude": -73.985428}))

add("message", msg(private(EMRE), EMRE, contact={"phone_number": "+905321234567", "first_name": "Emre", "last_name": "Yılmaz", "user_id": EMRE["id"], "vcard": "BEGIN:VCARD\nVERSION:3.0\nFN:Emre Yılmaz\nTEL;TYPE=CELL:+905321234567\nEND:VCARD"}))

add("message", msg(GROUP, CHEN, dice={"emoji": "🎲", "value": 5}))

# polls in messages
add("message", msg(GROUP, FATIMA, poll={
    "id": "5312983746102938475", "question": "Which TLS backend do you deploy with?",
    "options": [
        {"persistent_id": "0", "text": "rustls (ring)", "voter_count": 0},
        {"persistent_id": "1", "text": "rustls (aws-lc-rs)", "voter_count": 0},
        {"persistent_id": "2", "text": "native-tls / OpenSSL", "voter_count": 0},
    ],
    "total_voter_count": 0, "is_closed": False, "is_anonymous": True, "type": "regular",
    "allows_multiple_answers": False, "allows_revoting": True, "members_only": False}))

q = "Which method confirms updates?"
add("message", msg(GROUP, EMRE, poll={
    "id": "5312983746102938476", "question": q,
    "options": [
        {"persistent_id": "0", "text": "getUpdates with offset", "voter_count": 0},
        {"persistent_id": "1", "text": "deleteWebhook", "voter_count": 0},
        {"persistent_id": "2", "text": "logOut", "voter_count": 0},
    ],
    "total_voter_count": 0, "is_closed": False, "is_anonymous": False, "type": "quiz",
    "allows_multiple_answers": False, "allows_revoting": False, "members_only": False,
    "correct_option_ids": [0], "explanation": "Pass the last update_id + 1 as offset",
    "explanation_entities": [{"offset": 9, "length": 9, "type": "code"}], "open_period": 600}))

# forwarded messages (forward_origin of each kind)
add("message", text_msg(private(ALICE), ALICE, "Can the bot do this too?", forward_origin={"type": "user", "sender_user": CHEN, "date": _t - 86400}))

add("message", text_msg(private(BORIS), BORIS, "Скидка 30% на все чайники до пятницы",
                         forward_origin={"type": "hidden_user", "sender_user_name": "Marina S.", "date": _t - 3600 * 5}))

t = "Webhooks vs long polling: a benchmark"
add("message", text_msg(private(CHEN), CHEN, t, [ent(t, "Webhooks vs long polling", "bold")],
                         forward_origin={"type": "channel", "chat": OTHER_CHANNEL, "message_id": 48213, "date": _t - 7200, "author_signature": "Editorial"}))

add("message", text_msg(GROUP, DANA, "from the admin chat",
                         forward_origin={"type": "chat", "sender_chat": SMALL_GROUP, "date": _t - 600}))

add("message", msg(GROUP, None, sender_chat=CHANNEL, is_automatic_forward=True,
                   forward_origin={"type": "channel", "chat": CHANNEL, "message_id": 2231, "date": _t - 2, "author_signature": "Lea"},
                   photo=photo_sizes(1280, 720), caption="🔥 Deal of the day: kettles -40%", author_signature="Lea"))

# service messages
add("message", msg(GROUP, ALICE, new_chat_members=[GUS, DANA]))

add("message", msg(GROUP, BORIS, new_chat_members=[BORIS]))

add("message", msg(GROUP, ALICE, left_chat_member=EMRE))

pinned = text_msg(GROUP, FATIMA, "📌 Rules: be kind, no spam, English please.")
add("message", msg(GROUP, FATIMA, pinned_message=pinned))

add("message", msg(FORUM, ALICE, pinned_message={"chat": FORUM, "message_id": 771, "date": 0}))

add("message", msg(SMALL_GROUP, DANA, new_chat_title="Family plans 2027"))

add("message", msg(SMALL_GROUP, DANA, new_chat_photo=photo_sizes(640, 640)))

add("message", msg(GROUP, ALICE, message_auto_delete_timer_changed={"message_auto_delete_time": 86400}))

add("message", msg(FORUM, GUS, message_thread_id=912, forum_topic_created={"name": "Shipping to EU", "icon_color": 16766590, "icon_custom_emoji_id": "5312536423851630001"}, is_topic_message=True))

add("message", msg(GROUP, CHEN, video_chat_ended={"duration": 3725}))

add("message", msg(private(EMRE), EMRE, successful_payment={"currency": "XTR", "total_amount": 250, "invoice_payload": "order:A-90121", "telegram_payment_charge_id": "stxAbC" + token(40), "provider_payment_charge_id": ""}))

add("message", msg(private(FATIMA), FATIMA, users_shared={"request_id": 3, "users": [{"user_id": ALICE["id"], "first_name": "Alice", "username": "alice_mrx"}]}))

# channel posts
t = "🛒 Black Friday starts now!\nAll kettles −40% with code BF26.\nhttps://example.com/deals"
add("channel_post", msg(CHANNEL, None, text=t, entities=[ent(t, "Black Friday", "bold"), ent(t, "BF26", "code"), ent(t, "https://example.com/deals", "url")],
                        author_signature="Lea", reply_markup={"inline_keyboard": [[{"text": "Shop now", "url": "https://example.com/deals"}, {"text": "🔔 Notify me", "callback_data": "notify:bf26"}]]}))

add("channel_post", msg(CHANNEL, None, photo=photo_sizes(1280, 1280), caption="New arrivals in store 👇", media_group_id="13876029384799999"))

add("edited_channel_post", msg(CHANNEL, None, text="🛒 Black Friday starts now! (updated: code BF26 works in the app too)", edit_date=_t + 120))

# edited messages
add("edited_message", text_msg(private(DANA), DANA, "Hi! I ordered the blue kettle on Monday, order #A-88231", edit_date=_t + 45))
add("edited_message", msg(GROUP, CHEN, text="/track@orders_helper_bot A-88231 please", entities=[{"offset": 0, "length": 25, "type": "bot_command"}], edit_date=_t + 9))

# ------------------------------------------------------------ callback queries
kb = {"inline_keyboard": [
    [{"text": "✅ Confirm", "callback_data": "order:A-88231:confirm"}, {"text": "❌ Cancel", "callback_data": "order:A-88231:cancel"}],
    [{"text": "Open in app", "web_app": {"url": "https://example.com/app/orders/A-88231"}}],
]}
bot_msg = text_msg(private(DANA), BOT, "Order A-88231: blue kettle, 39.90 €. Confirm?", reply_markup=kb)
add("callback_query", {"id": "4122398127391823901", "from": DANA, "message": bot_msg, "chat_instance": "-7719283746512390487", "data": "order:A-88231:confirm"})

bot_msg = text_msg(GROUP, BOT, "Page 2 of 7", reply_markup={"inline_keyboard": [[{"text": "« Prev", "callback_data": "p:1"}, {"text": "Next »", "callback_data": "p:3"}]]})
add("callback_query", {"id": "4122398127391823902", "from": CHEN, "message": bot_msg, "chat_instance": "3391827364501928374", "data": "p:3"})

add("callback_query", {"id": "4122398127391823903", "from": EMRE, "message": {"chat": private(EMRE), "message_id": 15, "date": 0}, "chat_instance": "-1209384756120938475", "data": "lang:tr"})

add("callback_query", {"id": "4122398127391823904", "from": ALICE, "inline_message_id": "AQAAAHc3BgBmC2Q3" + token(8), "chat_instance": "5566778899001122334", "data": "vote:up"})

# ------------------------------------------------------------- inline mode
add("inline_query", {"id": "2390487561029384756", "from": CHEN, "chat_type": "supergroup", "query": "kettle blue", "offset": ""})
add("inline_query", {"id": "2390487561029384757", "from": ALICE, "chat_type": "sender", "query": "", "offset": "20", "location": {"latitude": 48.85, "longitude": 2.35}})
add("chosen_inline_result", {"result_id": "sku-10023", "from": CHEN, "query": "kettle blue", "inline_message_id": "AgAAAJg3BgBmC2Q3" + token(8)})
add("chosen_inline_result", {"result_id": "gif-88", "from": ALICE, "query": "cats", "location": {"latitude": 48.85, "longitude": 2.35}})

# -------------------------------------------------------------- chat members
def admin(u):
    return {"status": "administrator", "user": u, "can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
            "can_delete_messages": True, "can_manage_video_chats": True, "can_restrict_members": True, "can_promote_members": False,
            "can_change_info": True, "can_invite_users": True, "can_post_stories": False, "can_edit_stories": False,
            "can_delete_stories": False, "can_pin_messages": True, "can_manage_topics": False, "can_send_welcome_messages": False}


add("my_chat_member", {"chat": GROUP, "from": ALICE, "date": now(), "old_chat_member": {"status": "member", "user": BOT}, "new_chat_member": admin(BOT)})
add("my_chat_member", {"chat": private(BORIS), "from": BORIS, "date": now(), "old_chat_member": {"status": "member", "user": BOT}, "new_chat_member": {"status": "kicked", "user": BOT, "until_date": 0}})
add("my_chat_member", {"chat": CHANNEL, "from": ALICE, "date": now(), "old_chat_member": {"status": "left", "user": BOT}, "new_chat_member": admin(BOT) | {"can_post_messages": True, "can_edit_messages": True}})
add("chat_member", {"chat": GROUP, "from": GUS, "date": now(), "old_chat_member": {"status": "left", "user": GUS},
                    "new_chat_member": {"status": "member", "user": GUS},
                    "invite_link": {"invite_link": "https://t.me/+AbCdEfGh1234xYz", "creator": ALICE, "creates_join_request": False, "is_primary": False, "is_revoked": False, "name": "Website footer"}})
add("chat_member", {"chat": GROUP, "from": ALICE, "date": now(), "old_chat_member": {"status": "member", "user": EMRE},
                    "new_chat_member": {"status": "restricted", "user": EMRE, "is_member": True, "can_send_messages": False, "can_send_audios": False,
                                        "can_send_documents": False, "can_send_photos": False, "can_send_videos": False, "can_send_video_notes": False,
                                        "can_send_voice_notes": False, "can_send_polls": False, "can_send_other_messages": False,
                                        "can_add_web_page_previews": False, "can_react_to_messages": True, "can_edit_tag": False, "can_change_info": False,
                                        "can_invite_users": False, "can_pin_messages": False, "can_manage_topics": False, "until_date": _t + 3600}})
add("chat_member", {"chat": GROUP, "from": ALICE, "date": now(), "old_chat_member": {"status": "member", "user": CHEN}, "new_chat_member": admin(CHEN) | {"custom_title": "mod"}})
add("chat_join_request", {"chat": GROUP, "from": FATIMA, "user_chat_id": FATIMA["id"], "date": now(), "bio": "Product designer · she/her",
                          "invite_link": {"invite_link": "https://t.me/+Zx9Y8w7V6u5T", "creator": ALICE, "creates_join_request": True, "is_primary": False, "is_revoked": False, "pending_join_request_count": 3}})

# ------------------------------------------------------------------ reactions
add("message_reaction", {"chat": GROUP, "message_id": 52311, "user": BORIS, "date": now(), "old_reaction": [], "new_reaction": [{"type": "emoji", "emoji": "👍"}]})
add("message_reaction", {"chat": GROUP, "message_id": 52311, "user": EMRE, "date": now(), "old_reaction": [{"type": "emoji", "emoji": "❤"}],
                         "new_reaction": [{"type": "emoji", "emoji": "🔥"}, {"type": "custom_emoji", "custom_emoji_id": "5368324170671202286"}]})
add("message_reaction", {"chat": GROUP, "message_id": 52320, "actor_chat": CHANNEL, "date": now(), "old_reaction": [], "new_reaction": [{"type": "emoji", "emoji": "🎉"}]})
add("message_reaction_count", {"chat": CHANNEL, "message_id": 2231, "date": now(),
                               "reactions": [{"type": {"type": "emoji", "emoji": "🔥"}, "total_count": 128}, {"type": {"type": "emoji", "emoji": "👍"}, "total_count": 41}, {"type": {"type": "paid"}, "total_count": 5}]})

# ------------------------------------------------------------- polls, payments
add("poll", {"id": "5312983746102938475", "question": "Which TLS backend do you deploy with?",
             "options": [{"persistent_id": "0", "text": "rustls (ring)", "voter_count": 14}, {"persistent_id": "1", "text": "rustls (aws-lc-rs)", "voter_count": 6},
                         {"persistent_id": "2", "text": "native-tls / OpenSSL", "voter_count": 9}],
             "total_voter_count": 29, "is_closed": True, "is_anonymous": True, "type": "regular",
             "allows_multiple_answers": False, "allows_revoting": True, "members_only": False})
add("poll_answer", {"poll_id": "5312983746102938476", "user": DANA, "option_ids": [0], "option_persistent_ids": ["0"]})
add("pre_checkout_query", {"id": "1938475620193847561", "from": EMRE, "currency": "XTR", "total_amount": 250, "invoice_payload": "order:A-90121"})
add("shipping_query", {"id": "1938475620193847562", "from": ALICE, "invoice_payload": "order:A-90122",
                       "shipping_address": {"country_code": "FR", "state": "", "city": "Lyon", "street_line1": "12 Rue de la République", "street_line2": "Bât. B", "post_code": "69002"}})
add("chat_boost", {"chat": CHANNEL, "boost": {"boost_id": "b0:" + token(16), "add_date": now(), "expiration_date": _t + 86400 * 30,
                                               "source": {"source": "premium", "user": ALICE}}})

# A few more plain text messages: most of a real bot's traffic.
for u, t in [(CHEN, "ok"), (ALICE, "Merci beaucoup ! 🙏"), (GUS, "/help"), (FATIMA, "مرحبا، هل يمكنني تغيير عنوان التوصيل؟"),
             (DANA, "What are your opening hours on Sunday?"), (BORIS, "👍")]:
    ents = [ent(t, t, "bot_command")] if t.startswith("/") else None
    add("message", text_msg(private(u), u, t, ents))

json.dump(updates, sys.stdout, ensure_ascii=False, separators=(",", ":"))
sys.stdout.write("\n")
print(f"{len(updates)} updates", file=sys.stderr)
