package com.onemember.hub.imports;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface ImportJobRepository extends JpaRepository<ImportJobEntity, UUID> {}
