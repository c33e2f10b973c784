"""One-click unsubscribe through the real stack (Varnish in front of gunicorn): a mail provider's
cookie-less POST (RFC 8058), multipart or urlencoded, is answered 200 directly, with many readers
unsubscribing at once from the provider's one address (PROXY_UNSUBSCRIBE_LIMIT a minute, 600)."""

import time

SUBSCRIBE = (
    "from articles.models import Article; from comments.models import Comment, "
    "ReplySubscription; from comments import links; "
    "c = Comment.objects.create(article=Article.objects.first(), name='Maria', "
    "email='one-click@example.com', body='Subscribed', status='approved'); "
    "ReplySubscription.objects.create(comment=c); "
    "print(c.pk, links.unsubscribe_url(c.pk))"
)
MULTIPART = (
    b'--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n'
)


def test_one_click_unsubscribes_pass_the_proxy_as_multipart_and_beyond_the_post_limit(stack):
    pk, url = stack.manage("shell", "-c", SUBSCRIBE).split()
    path = "/" + url.split("/", 3)[3]

    first = stack.fetch(
        "POST",
        path,
        headers={"Content-Type": "multipart/form-data; boundary=b"},
        body=MULTIPART,
        source="127.0.0.77",
    )
    # More than PROXY_POST_LIMIT (30 in the test stack) and PROXY_BODY_LIMIT (40) from one
    # address within a minute, below the proxy's requests-per-second limit.
    others = []
    for _ in range(45):
        others.append(stack.post(path, {"List-Unsubscribe": "One-Click"}, source="127.0.0.77"))
        time.sleep(0.1)

    assert first.status == 200, first.text
    assert "no more mail about replies" in first.text
    assert {response.status for response in others} == {200}
    left = (
        f"from comments.models import ReplySubscription as R; print(R.objects.filter(comment={pk}))"
    )
    assert stack.manage("shell", "-c", left).strip() == "<QuerySet []>"
