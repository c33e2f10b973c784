def moderation_summary():
    return None
