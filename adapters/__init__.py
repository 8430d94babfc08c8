"""Channel adapters (Telegram, Discord, Feishu, console) and shop backends."""
