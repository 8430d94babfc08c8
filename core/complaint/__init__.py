"""The structured complaint flow: from "卡密用不了" to a complete ticket in one conversation."""
