"""Mail: the durable outbox, its worker, and the development mailbox."""
