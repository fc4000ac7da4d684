package dev.clearance.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One admin write: who, when, which resource, what it was and became, and why. */
@Entity
@Table(name = "change_log")
public class ChangeEntry {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "change_time")
    public Instant changeTime;
    public String actor;
    public String resource;
    public String action;
    /** proto3 JSON; null for a create. */
    @Column(name = "before_json")
    public String before;
    /** proto3 JSON. */
    @Column(name = "after_json")
    public String after;
    public String reason;
}
